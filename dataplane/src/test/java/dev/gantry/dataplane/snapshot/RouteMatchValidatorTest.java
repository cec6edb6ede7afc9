package dev.gantry.dataplane.snapshot;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.HeaderMatch;
import dev.gantry.protocol.v1.QueryParamMatch;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.RouteMatch;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots whose route matches the dataplane cannot evaluate are NACKed. */
class RouteMatchValidatorTest {

  private static final Cluster WEB =
      cluster("default/web:80", new InetSocketAddress("10.0.0.1", 8080));

  private static List<String> problems(Route route) {
    return SnapshotValidator.problems(
        snapshot(1, List.of(host("web", List.of("web.example.com"), route)), List.of(WEB)));
  }

  @Test
  void rejectsAPatternRe2CannotCompile() {
    Route route =
        prefix("r1", "/", "default/web:80").toBuilder()
            .setMatch(RouteMatch.newBuilder().setRegex("/(unclosed"))
            .build();

    assertThat(problems(route))
        .singleElement(STRING)
        .contains("route r1", "/(unclosed", "not valid RE2");
  }

  @Test
  void rejectsLookaroundInAHeaderPattern() {
    Route route =
        prefix("r1", "/", "default/web:80").toBuilder()
            .setMatch(
                RouteMatch.newBuilder()
                    .setPrefix("/")
                    .addHeaders(HeaderMatch.newBuilder().setName("x-user").setRegex("(?=admin).*")))
            .build();

    assertThat(problems(route))
        .singleElement(STRING)
        .contains("header match x-user", "(?=admin).*");
  }

  @Test
  void rejectsAConditionWithoutAValueMatch() {
    Route route =
        prefix("r1", "/", "default/web:80").toBuilder()
            .setMatch(
                RouteMatch.newBuilder()
                    .setPrefix("/")
                    .addQueryParams(QueryParamMatch.newBuilder().setName("v")))
            .build();

    assertThat(problems(route))
        .singleElement(STRING)
        .contains("query parameter match v has no value match");
  }
}
