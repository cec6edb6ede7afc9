package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.pipeline.TrustedProxies;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.SourceFilter;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routes that serve some client addresses only, as a client on loopback sees them: 403 from the
 * proxy itself, or the backend's answer; the address behind a trusted proxy is the one judged.
 */
class SourceFilterIT {
  private final TestBackend backend = TestBackend.start("a");
  private DataplaneFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
    backend.close();
  }

  private void start(UnaryOperator<DataplaneConfig> config, SourceFilter... filters) {
    fixture = DataplaneFixture.start(config);
    List<Route> routes = new java.util.ArrayList<>();
    for (int i = 0; i < filters.length; i++) {
      routes.add(prefix("r" + i, "/" + i, "a").toBuilder().setSourceFilter(filters[i]).build());
    }
    fixture.apply(
        snapshot(
            1,
            List.of(host("shop", List.of("shop.example.com"), routes.toArray(Route[]::new))),
            List.of(cluster("a", backend.address()))));
  }

  private static SourceFilter allow(String... cidrs) {
    return SourceFilter.newBuilder().addAllAllow(List.of(cidrs)).build();
  }

  private static SourceFilter deny(String... cidrs) {
    return SourceFilter.newBuilder().addAllDeny(List.of(cidrs)).build();
  }

  private HttpResponse<String> get(String path, String forwardedFor) {
    var request = fixture.request("shop.example.com", path);
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return fixture.send(request.GET().build());
  }

  @Test
  void servesAllowedClientsAndRefusesTheOthersWith403() {
    start(
        UnaryOperator.identity(),
        allow("10.0.0.0/8"),
        allow("127.0.0.0/8"),
        deny("127.0.0.1"),
        SourceFilter.newBuilder().addAllow("127.0.0.0/8").addDeny("127.0.0.1/32").build());

    HttpResponse<String> refused = get("/0", null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("this address may not use this route");
    assertThat(get("/1", null).statusCode()).isEqualTo(200);
    assertThat(get("/2", null).statusCode()).as("denied").isEqualTo(403);
    assertThat(get("/3", null).statusCode()).as("deny wins over allow").isEqualTo(403);
    assertThat(backend.received()).hasSize(1);
  }

  @Test
  void aClientsOwnForwardedForIsNotBelieved() {
    start(UnaryOperator.identity(), allow("10.0.0.0/8"));

    assertThat(get("/0", "10.1.2.3").statusCode()).isEqualTo(403);
  }

  @Test
  void behindATrustedProxyTheForwardedClientIsJudged() {
    start(
        config -> config.withTrustedProxies(TrustedProxies.of(List.of("127.0.0.0/8"))),
        allow("10.0.0.0/8"));

    assertThat(get("/0", "10.1.2.3").statusCode()).isEqualTo(200);
    assertThat(get("/0", "203.0.113.9").statusCode()).isEqualTo(403);
    // A hop the trusted proxy did not vouch for: the nearest untrusted one is the client.
    assertThat(get("/0", "10.9.9.9, 203.0.113.9").statusCode()).isEqualTo(403);
    assertThat(get("/0", "not-an-address").statusCode())
        .as("a client that cannot be told is not on an allow list")
        .isEqualTo(403);
  }

  @Test
  void aSnapshotWithABadRangeIsRejectedAndTheOldOneKeepsServing() {
    start(UnaryOperator.identity(), allow("127.0.0.0/8"));

    var result =
        fixture.applyExpectingRejection(
            snapshot(
                2,
                List.of(
                    host(
                        "shop",
                        List.of("shop.example.com"),
                        prefix("r0", "/0", "a").toBuilder()
                            .setSourceFilter(allow("127.0.0.0/33"))
                            .build())),
                List.of(cluster("a", backend.address()))));

    assertThat(result).contains("127.0.0.0/33");
    assertThat(get("/0", null).statusCode()).isEqualTo(200);
  }
}
