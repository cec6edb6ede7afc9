package dev.gantry.dataplane.snapshot;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.split;
import static dev.gantry.dataplane.testing.Snapshots.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.Endpoint;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.RouteMatch;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.VirtualHost;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotValidatorTest {

  private static final Cluster WEB =
      cluster("default/web:80", new InetSocketAddress("10.0.0.1", 8080));

  private static List<String> problems(List<VirtualHost> hosts, List<Cluster> clusters) {
    return SnapshotValidator.problems(snapshot(1, hosts, clusters));
  }

  private static List<String> problems(Route route) {
    return problems(List.of(host("web", List.of("web.example.com"), route)), List.of(WEB));
  }

  private static Cluster withEndpoint(String address, int port) {
    return Cluster.newBuilder()
        .setName("default/web:80")
        .addEndpoints(Endpoint.newBuilder().setAddress(address).setPort(port).setWeight(1))
        .build();
  }

  @Test
  void acceptsAValidSnapshot() {
    assertThat(
            problems(
                List.of(
                    host(
                        "web",
                        List.of("web.example.com", "*.web.example.com"),
                        prefix("r1", "/", "default/web:80")),
                    host("any", List.of("*"), direct("r2", "/", 200, "ok"))),
                List.of(WEB)))
        .isEmpty();
  }

  @Test
  void acceptsAnEmptySnapshot() {
    assertThat(SnapshotValidator.problems(Snapshot.getDefaultInstance())).isEmpty();
  }

  @Test
  void refusesARouteWithoutAction() {
    Route route =
        Route.newBuilder().setName("r").setMatch(RouteMatch.newBuilder().setPrefix("/")).build();

    assertThat(problems(route))
        .containsExactly(
            "route r of virtual host web has no action (or one this dataplane does not know)");
  }

  @Test
  void refusesARouteWithoutPathMatch() {
    Route route = prefix("r", "/", "default/web:80").toBuilder().clearMatch().build();

    assertThat(problems(route))
        .containsExactly(
            "route r of virtual host web has no path match (or one this dataplane does not know)");
  }

  @Test
  void refusesAPathThatDoesNotStartWithSlash() {
    assertThat(problems(prefix("r", "api", "default/web:80")))
        .containsExactly(
            "route r of virtual host web matches path \"api\" (expected a path starting with /)");
  }

  @Test
  void refusesAForwardToAnUnknownCluster() {
    assertThat(problems(prefix("r", "/", "default/gone:80")))
        .containsExactly("route r of virtual host web forwards to unknown cluster default/gone:80");
  }

  @Test
  void refusesWeightsThatAreAllZero() {
    assertThat(problems(split("r", "/", weighted("default/web:80", 0))))
        .containsExactly(
            "route r of virtual host web gives every cluster weight 0 (expected at least one above"
                + " 0)");
  }

  @Test
  void acceptsAZeroWeightNextToAPositiveOne() {
    Cluster other = cluster("default/other:80", new InetSocketAddress("10.0.0.2", 80));

    assertThat(
            problems(
                List.of(
                    host(
                        "web",
                        List.of("web.example.com"),
                        split(
                            "r",
                            "/",
                            weighted("default/web:80", 0),
                            weighted("default/other:80", 1)))),
                List.of(WEB, other)))
        .isEmpty();
  }

  @Test
  void refusesAnEndpointAddressThatIsNeitherAnIpNorADnsName() {
    assertThat(problems(List.of(), List.of(withEndpoint("web_1.default.svc", 80))))
        .containsExactly(
            "cluster default/web:80 has an endpoint whose address \"web_1.default.svc\" is neither"
                + " an IP address nor a DNS name");
    assertThat(problems(List.of(), List.of(withEndpoint("", 80)))).hasSize(1);
  }

  @Test
  void acceptsDnsNamedEndpointsFromFqdnSlices() {
    assertThat(problems(List.of(), List.of(withEndpoint("db.example.com", 5432)))).isEmpty();
  }

  @Test
  void refusesAnEndpointWithoutAValidPort() {
    assertThat(problems(List.of(), List.of(withEndpoint("10.0.0.1", 0))))
        .containsExactly(
            "cluster default/web:80 has an endpoint 10.0.0.1 with port 0 (expected 1..65535)");
    assertThat(problems(List.of(), List.of(withEndpoint("10.0.0.1", 70000))))
        .containsExactly(
            "cluster default/web:80 has an endpoint 10.0.0.1 with port 70000 (expected 1..65535)");
  }

  @Test
  void acceptsIpv6Endpoints() {
    assertThat(problems(List.of(), List.of(withEndpoint("fd00::1", 80)))).isEmpty();
  }

  @Test
  void refusesADirectResponseStatusOutside200To599() {
    assertThat(problems(direct("r", "/", 700, "")))
        .containsExactly(
            "route r of virtual host web has a direct response with status 700 (expected"
                + " 200..599)");
    assertThat(problems(direct("r", "/", 101, ""))).hasSize(1);
    assertThat(problems(direct("r", "/", 599, ""))).isEmpty();
  }

  @Test
  void refusesADomainClaimedByTwoVirtualHosts() {
    assertThat(
            problems(
                List.of(
                    host("a", List.of("shop.example.com"), direct("r", "/", 200, "")),
                    host("b", List.of("SHOP.example.com"), direct("r", "/", 200, ""))),
                List.of()))
        .containsExactly("domain SHOP.example.com is claimed by virtual hosts a and b");
  }

  @Test
  void refusesAMisplacedWildcard() {
    assertThat(
            problems(
                List.of(host("a", List.of("shop.*.com"), direct("r", "/", 200, ""))), List.of()))
        .containsExactly(
            "virtual host a has domain \"shop.*.com\" (expected a host name, *.suffix or *)");
  }

  @Test
  void refusesAClusterDefinedTwice() {
    assertThat(problems(List.of(), List.of(WEB, WEB)))
        .containsExactly("cluster default/web:80 is defined twice");
  }

  @Test
  void refusesAnUnknownLoadBalancingPolicy() {
    Cluster unknown = WEB.toBuilder().setLbPolicyValue(42).build();

    assertThat(problems(List.of(), List.of(unknown)))
        .containsExactly(
            "cluster default/web:80 has an lb_policy this dataplane does not know (42)");
  }

  @Test
  void joinsManyProblemsIntoOneReason() {
    List<String> many = List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7");

    assertThat(SnapshotValidator.reason(many)).isEqualTo("p1; p2; p3; p4; p5; and 2 more");
    assertThat(SnapshotValidator.reason(List.of("only"))).isEqualTo("only");
  }
}
