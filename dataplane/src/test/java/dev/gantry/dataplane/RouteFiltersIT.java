package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.testing.ScriptedBackend;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.Filter;
import dev.gantry.protocol.v1.HeaderModifier;
import dev.gantry.protocol.v1.HeaderValue;
import dev.gantry.protocol.v1.PathModifier;
import dev.gantry.protocol.v1.RedirectAction;
import dev.gantry.protocol.v1.RequestMirror;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.RouteMatch;
import dev.gantry.protocol.v1.Timeouts;
import dev.gantry.protocol.v1.UrlRewrite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redirects, header modifiers, URL rewrites, mirrors and timeouts, end to end. */
class RouteFiltersIT {

  private final TestBackend a = TestBackend.start("a");
  private final TestBackend b = TestBackend.start("b");
  private final DataplaneFixture fixture = DataplaneFixture.start();

  @AfterEach
  void tearDown() {
    fixture.close();
    a.close();
    b.close();
  }

  private void serve(List<Cluster> clusters, Route... routes) {
    fixture.apply(
        snapshot(1, List.of(host("shop", List.of("shop.example.com"), routes)), clusters));
  }

  private void serve(Route... routes) {
    serve(List.of(cluster("a", a.address()), cluster("b", b.address())), routes);
  }

  private static Filter headers(boolean request, HeaderModifier.Builder modifier) {
    return request
        ? Filter.newBuilder().setRequestHeaderModifier(modifier).build()
        : Filter.newBuilder().setResponseHeaderModifier(modifier).build();
  }

  private static HeaderValue.Builder header(String name, String value) {
    return HeaderValue.newBuilder().setName(name).setValue(value);
  }

  @Test
  void answersARedirectWithTheLocationHeader() {
    serve(
        Route.newBuilder()
            .setName("moved")
            .setMatch(RouteMatch.newBuilder().setPrefix("/old"))
            .setRedirect(
                RedirectAction.newBuilder()
                    .setScheme("https")
                    .setHostname("new.example.com")
                    .setPath(PathModifier.newBuilder().setReplacePrefixMatch("/new"))
                    .setStatusCode(308))
            .build());

    HttpResponse<String> response = fixture.get("shop.example.com:8080", "/old/page?q=1");

    assertThat(response.statusCode()).isEqualTo(308);
    assertThat(response.headers().firstValue("location"))
        .hasValue("https://new.example.com/new/page?q=1");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void modifiesTheHeadersTheBackendAndTheClientSee() {
    serve(
        prefix("api", "/", "a").toBuilder()
            .addFilters(
                headers(
                    true,
                    HeaderModifier.newBuilder()
                        .addSet(header("x-env", "prod"))
                        .addAdd(header("x-trace", "gantry"))
                        .addRemove("x-debug")))
            .addFilters(
                headers(
                    false,
                    HeaderModifier.newBuilder()
                        .addSet(header("cache-control", "no-store"))
                        .addRemove("x-peer-port")))
            .build());

    HttpResponse<String> response =
        fixture.send(
            fixture
                .request("shop.example.com", "/")
                .header("X-Env", "dev")
                .header("X-Debug", "1")
                .header("X-Trace", "client")
                .GET()
                .build());

    assertThat(response.body())
        .contains("header x-env: prod\n", "header x-trace: client\n", "header x-trace: gantry\n")
        .doesNotContain("x-debug", "x-env: dev");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(response.headers().firstValue("x-peer-port")).isEmpty();
    assertThat(response.headers().firstValue("x-backend")).hasValue("a");
  }

  @Test
  void rewritesThePathAndHostTheBackendSees() {
    serve(
        prefix("api", "/api/v1", "a").toBuilder()
            .addFilters(
                Filter.newBuilder()
                    .setUrlRewrite(
                        UrlRewrite.newBuilder()
                            .setHostname("api.internal")
                            .setPath(PathModifier.newBuilder().setReplacePrefixMatch("/"))))
            .build());

    HttpResponse<String> response = fixture.get("shop.example.com", "/api/v1/items?id=7");

    assertThat(response.body())
        .contains(
            "uri=/items?id=7\n",
            "header host: api.internal\n",
            "header x-forwarded-host: shop.example.com\n");
  }

  @Test
  void mirrorsRequestsToASecondBackendAndAnswersFromTheFirst() {
    serve(
        prefix("api", "/", "a").toBuilder()
            .addFilters(
                Filter.newBuilder().setRequestMirror(RequestMirror.newBuilder().setCluster("b")))
            .build());

    HttpResponse<String> response = fixture.get("shop.example.com", "/orders?id=3");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-backend")).hasValue("a");
    await().untilAsserted(() -> assertThat(b.received()).containsExactly("GET /orders?id=3"));
    assertThat(a.received()).containsExactly("GET /orders?id=3");
  }

  @Test
  void mirrorsAStreamingBodyWholeToTheSecondBackend() throws Exception {
    serve(
        prefix("api", "/", "a").toBuilder()
            .addFilters(
                Filter.newBuilder().setRequestMirror(RequestMirror.newBuilder().setCluster("b")))
            .build());
    fixture.get("shop.example.com", "/warm"); // the mirror's connection is pooled from here on
    await().until(() -> b.received().size() == 1);
    byte[] body = new byte[1024 * 1024];
    for (int i = 0; i < body.length; i++) {
      body[i] = TestBackend.pattern(i);
    }
    String expected =
        "POST /upload "
            + body.length
            + " "
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

    HttpResponse<String> response =
        fixture.send(
            fixture
                .request("shop.example.com", "/upload")
                // a stream of unknown length: sent chunked, so the proxy gets it piece by piece
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-backend")).hasValue("a");
    assertThat(a.receivedBodies()).endsWith(expected);
    await().untilAsserted(() -> assertThat(b.receivedBodies()).endsWith(expected));
  }

  @Test
  void answersEvenWhenTheMirrorNeverDoes() throws IOException {
    try (ScriptedBackend silent = ScriptedBackend.silent()) {
      serve(
          List.of(cluster("a", a.address()), cluster("silent", silent.address())),
          prefix("api", "/", "a").toBuilder()
              .addFilters(
                  Filter.newBuilder()
                      .setRequestMirror(RequestMirror.newBuilder().setCluster("silent")))
              .build());

      HttpResponse<String> response = fixture.get("shop.example.com", "/");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-backend")).hasValue("a");
    }
  }

  @Test
  void answers504WhenTheBackendMissesTheBackendRequestTimeout() throws IOException {
    try (ScriptedBackend silent = ScriptedBackend.silent()) {
      serve(
          List.of(cluster("silent", silent.address())),
          prefix("slow", "/", "silent").toBuilder()
              .setTimeouts(
                  Timeouts.newBuilder()
                      .setRequest(com.google.protobuf.Duration.newBuilder().setSeconds(30))
                      .setBackendRequest(
                          com.google.protobuf.Duration.newBuilder().setNanos(300_000_000)))
              .build());

      HttpResponse<String> response = fixture.get("shop.example.com", "/");

      assertThat(response.statusCode()).isEqualTo(504);
    }
  }
}
