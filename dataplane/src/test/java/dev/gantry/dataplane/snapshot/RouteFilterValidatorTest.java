package dev.gantry.dataplane.snapshot;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.Filter;
import dev.gantry.protocol.v1.HeaderModifier;
import dev.gantry.protocol.v1.HeaderValue;
import dev.gantry.protocol.v1.PathModifier;
import dev.gantry.protocol.v1.RedirectAction;
import dev.gantry.protocol.v1.RequestMirror;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.RouteMatch;
import dev.gantry.protocol.v1.UrlRewrite;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots whose route filters or redirects the dataplane cannot serve are NACKed. */
class RouteFilterValidatorTest {

  private static final Cluster WEB =
      cluster("default/web:80", new InetSocketAddress("10.0.0.1", 8080));

  private static List<String> problems(Route route) {
    return SnapshotValidator.problems(
        snapshot(1, List.of(host("web", List.of("web.example.com"), route)), List.of(WEB)));
  }

  @Test
  void rejectsAFilterOfAnUnknownKind() {
    Route route =
        prefix("r1", "/", "default/web:80").toBuilder()
            .addFilters(Filter.getDefaultInstance())
            .build();

    assertThat(problems(route))
        .singleElement(STRING)
        .contains("route r1", "filter of a kind this dataplane does not know");
  }

  @Test
  void rejectsAPrefixReplacementOnARouteWithoutAPrefixMatch() {
    Route route =
        prefix("r1", "/", "default/web:80").toBuilder()
            .setMatch(RouteMatch.newBuilder().setExact("/a"))
            .addFilters(
                Filter.newBuilder()
                    .setUrlRewrite(
                        UrlRewrite.newBuilder()
                            .setPath(PathModifier.newBuilder().setReplacePrefixMatch("/b"))))
            .build();

    assertThat(problems(route))
        .singleElement(STRING)
        .contains("replaces the prefix match of a route without a prefix match");
  }

  @Test
  void rejectsAMirrorToAnUnknownCluster() {
    Route route =
        prefix("r1", "/", "default/web:80").toBuilder()
            .addFilters(
                Filter.newBuilder()
                    .setRequestMirror(RequestMirror.newBuilder().setCluster("nowhere")))
            .build();

    assertThat(problems(route))
        .singleElement(STRING)
        .contains("mirrors to unknown cluster nowhere");
  }

  @Test
  void rejectsARedirectWithAStatusThatIsNotARedirect() {
    Route route =
        Route.newBuilder()
            .setName("r1")
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRedirect(RedirectAction.newBuilder().setStatusCode(200))
            .build();

    assertThat(problems(route)).singleElement(STRING).contains("redirects with status 200");
  }

  @Test
  void rejectsARequestHeaderValueWithALineBreak() {
    Route route =
        prefix("r1", "/", "default/web:80").toBuilder()
            .addFilters(
                Filter.newBuilder()
                    .setRequestHeaderModifier(
                        HeaderModifier.newBuilder()
                            .addSet(
                                HeaderValue.newBuilder().setName("x-a").setValue("1\r\nx-b: 2"))))
            .build();

    assertThat(problems(route)).singleElement(STRING).contains("x-a", "CR, LF or NUL");
  }

  @Test
  void rejectsEditingAHeaderThatFramesTheMessage() {
    Route route =
        prefix("r1", "/", "default/web:80").toBuilder()
            .addFilters(
                Filter.newBuilder()
                    .setResponseHeaderModifier(
                        HeaderModifier.newBuilder().addRemove("Transfer-Encoding")))
            .build();

    assertThat(problems(route))
        .singleElement(STRING)
        .contains("Transfer-Encoding", "frames the message");
  }
}
