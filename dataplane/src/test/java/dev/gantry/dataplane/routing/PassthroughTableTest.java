package dev.gantry.dataplane.routing;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.weighted;
import static dev.gantry.dataplane.testing.Snapshots.withCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.v1.TcpProxy;
import dev.gantry.protocol.v1.VirtualHost;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The passthrough side of the routing table: which TLS server names are relayed, and where. */
class PassthroughTableTest {

  private static final InetSocketAddress ENDPOINT = new InetSocketAddress("127.0.0.1", 9000);

  private static VirtualHost passthrough(String name, String domain, TcpProxy.Builder proxy) {
    return VirtualHost.newBuilder().setName(name).addDomains(domain).setTcpProxy(proxy).build();
  }

  private static TcpProxy.Builder to(String cluster) {
    return TcpProxy.newBuilder().addClusters(weighted(cluster, 1));
  }

  private static RoutingTable table(VirtualHost... hosts) {
    return RoutingTable.from(
        snapshot(1, List.of(hosts), List.of(cluster("db", ENDPOINT), cluster("web", ENDPOINT))));
  }

  @Test
  void relaysTheExactAndWildcardNamesOfPassthroughHosts() {
    RoutingTable table =
        table(
            passthrough("db", "db.example.com", to("db")),
            passthrough("any", "*.db.test", to("db")));

    assertThat(table.passthrough("db.example.com").host()).isEqualTo("db");
    assertThat(table.passthrough("DB.example.com.").host()).isEqualTo("db");
    assertThat(table.passthrough("a.db.test").host()).isEqualTo("any");
    assertThat(table.passthrough("a.b.db.test")).as("one label only").isNull();
    assertThat(table.passthrough("other.example.com")).isNull();
    assertThat(table.passthrough(null)).isNull();
  }

  @Test
  void anExactTerminatedNameWinsOverAPassthroughWildcard() {
    RoutingTable table =
        table(
            passthrough("wild", "*.example.com", to("db")),
            withCertificate(
                host("shop", List.of("shop.example.com"), prefix("r", "/", "web")), "c"));

    assertThat(table.passthrough("shop.example.com")).isNull();
    assertThat(table.passthrough("db.example.com").host()).isEqualTo("wild");
  }

  @Test
  void anExactPassthroughNameWinsOverATerminatedWildcard() {
    RoutingTable table =
        table(
            passthrough("db", "db.example.com", to("db")),
            withCertificate(host("wild", List.of("*.example.com"), prefix("r", "/", "web")), "c"));

    assertThat(table.passthrough("db.example.com").host()).isEqualTo("db");
    assertThat(table.passthrough("shop.example.com")).isNull();
  }

  @Test
  void theIdleTimeoutDefaultsToOneHour() {
    RoutingTable table =
        table(
            passthrough("db", "db.example.com", to("db")),
            passthrough(
                "short",
                "short.example.com",
                to("db").setIdleTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(30))));

    assertThat(table.passthrough("db.example.com").idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(table.passthrough("short.example.com").idleTimeout())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesARelayToAnUnknownCluster() {
    assertThatThrownBy(() -> table(passthrough("db", "db.example.com", to("missing"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("virtual host db: tcp_proxy relays to unknown cluster missing");
  }

  @Test
  void refusesARelayWithoutClusters() {
    assertThatThrownBy(() -> table(passthrough("db", "db.example.com", TcpProxy.newBuilder())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tcp_proxy has no clusters");
  }
}
