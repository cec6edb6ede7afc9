package dev.gantry.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.operator.compile.CompileResult;
import dev.gantry.operator.ir.RouteGraph;
import dev.gantry.operator.ir.VirtualHost;
import dev.gantry.operator.translate.SnapshotTranslator;
import dev.gantry.protocol.v1.Snapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotMetricsTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final SnapshotStore store = new SnapshotStore();
  private final SnapshotMetrics metrics = new SnapshotMetrics(meters, store);

  private static Snapshot content(String host) {
    return SnapshotTranslator.translate(
        new RouteGraph(List.of(new VirtualHost(host, List.of())), List.of()));
  }

  @Test
  void measuresTheSnapshotAndEachAckOfAPublishedVersion() {
    SnapshotStore.Published v1 =
        store.publish(content("a.example.com"), new CompileResult(RouteGraph.EMPTY, Map.of()));

    metrics.acked(v1.version());
    metrics.acked(v1.version());
    metrics.acked(99); // a version this replica never published: counted, not timed
    metrics.nacked();

    assertThat(meters.get("gantry.operator.snapshot.size").gauge().value())
        .isEqualTo(v1.snapshot().getSerializedSize());
    assertThat(meters.get("gantry.operator.snapshot.acks").counter().count()).isEqualTo(3);
    assertThat(meters.get("gantry.operator.snapshot.nacks").counter().count()).isEqualTo(1);
    assertThat(meters.get("gantry.operator.snapshot.propagation").timer().count()).isEqualTo(2);
  }
}
