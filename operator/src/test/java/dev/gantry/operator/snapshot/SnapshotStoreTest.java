package dev.gantry.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.operator.compile.CompileResult;
import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.RouteGraph;
import dev.gantry.operator.ir.VirtualHost;
import dev.gantry.operator.translate.SnapshotTranslator;
import dev.gantry.protocol.v1.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SnapshotStoreTest {
  private final SnapshotStore store = new SnapshotStore();
  private final ObjectRef demo = new ObjectRef("ProxyRoute", "default", "demo");

  private static Snapshot content(String host) {
    return SnapshotTranslator.translate(
        new RouteGraph(List.of(new VirtualHost(host, List.of())), List.of()));
  }

  private CompileResult accepting(long generation) {
    return new CompileResult(
        RouteGraph.EMPTY, Map.of(demo, ObjectReport.accepted(demo, generation, List.of())));
  }

  @Test
  void numbersANewVersionOnlyWhenTheContentChanges() {
    assertThat(store.publish(content("a"), accepting(1)).version()).isEqualTo(1);
    assertThat(store.publish(content("a"), accepting(1)).version()).isEqualTo(1);
    assertThat(store.publish(content("b"), accepting(1)).version()).isEqualTo(2);
    assertThat(store.current().orElseThrow().snapshot().getVersion()).isEqualTo(2);
  }

  @Test
  void remembersTheFirstVersionThatHeldEachGeneration() {
    store.publish(content("a"), accepting(1));
    store.publish(content("b"), accepting(1));
    assertThat(store.firstVersionHolding(demo, 1)).isEqualTo(OptionalLong.of(1));

    // A new generation that compiles to the same content is held by the current version.
    store.publish(content("b"), accepting(2));
    assertThat(store.firstVersionHolding(demo, 2)).isEqualTo(OptionalLong.of(2));
    assertThat(store.firstVersionHolding(demo, 1)).isEmpty();
  }

  @Test
  void holdsNoVersionForARejectedObject() {
    store.publish(
        content("a"),
        new CompileResult(
            RouteGraph.EMPTY,
            Map.of(
                demo,
                ObjectReport.rejected(
                    demo, 1, new dev.gantry.operator.compile.Problem("Invalid", "x")))));
    assertThat(store.firstVersionHolding(demo, 1)).isEmpty();
  }
}
