package dev.gantry.dataplane.snapshot;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.protocol.v1.Snapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotApplierTest {

  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SnapshotApplier applier =
      new SnapshotApplier(tables, new SnapshotMetrics(registry));

  private static Snapshot forwardingTo(long version, String cluster) {
    return snapshot(
        version,
        List.of(host("web", List.of("web.example.com"), prefix("r", "/", cluster))),
        List.of(cluster("web", new InetSocketAddress("127.0.0.1", 8080))));
  }

  @Test
  void appliesAValidSnapshotAndAcknowledgesIt() {
    Snapshot v1 = forwardingTo(1, "web");

    ApplyResult result = applier.apply(v1);

    assertThat(result).isEqualTo(new ApplyResult.Applied(1, v1.getDigest()));
    assertThat(result.answer().getAck().getVersion()).isEqualTo(1);
    assertThat(result.answer().getAck().getDigest()).isEqualTo(v1.getDigest());
    assertThat(tables.current().version()).isEqualTo(1);
    assertThat(tables.current().route("web.example.com", "/")).isNotNull();
    assertThat(registry.get("gantry.dataplane.snapshots.applied").counter().count()).isEqualTo(1);
    assertThat(registry.get("gantry.dataplane.snapshot.version").gauge().value()).isEqualTo(1);
  }

  @Test
  void refusesAnInvalidSnapshotAndKeepsThePreviousTable() {
    applier.apply(forwardingTo(1, "web"));
    RoutingTable served = tables.current();
    Snapshot v2 = forwardingTo(2, "missing");

    ApplyResult result = applier.apply(v2);

    assertThat(result).isInstanceOf(ApplyResult.Rejected.class);
    assertThat(result.answer().getNack().getVersion()).isEqualTo(2);
    assertThat(result.answer().getNack().getDigest()).isEqualTo(v2.getDigest());
    assertThat(result.answer().getNack().getReason())
        .contains("forwards to unknown cluster missing");
    assertThat(tables.current()).isSameAs(served);
    assertThat(registry.get("gantry.dataplane.snapshots.rejected").counter().count()).isEqualTo(1);
  }
}
