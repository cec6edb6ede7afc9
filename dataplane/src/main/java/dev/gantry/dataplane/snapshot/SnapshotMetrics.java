package dev.gantry.dataplane.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts snapshots: {@code gantry_dataplane_snapshots_applied_total}, {@code …_rejected_total}, the
 * gauge {@code gantry_dataplane_snapshot_version} (version served) and {@code
 * gantry_dataplane_control_plane_connected} (1 while a stream has delivered a snapshot and not
 * failed). Safe from any thread.
 */
final class SnapshotMetrics {

  private final Counter applied;
  private final Counter rejected;
  private final AtomicLong version = new AtomicLong();
  private final AtomicInteger connected = new AtomicInteger();

  SnapshotMetrics(MeterRegistry registry) {
    applied =
        Counter.builder("gantry.dataplane.snapshots.applied")
            .description("Snapshots applied and acknowledged")
            .register(registry);
    rejected =
        Counter.builder("gantry.dataplane.snapshots.rejected")
            .description("Snapshots refused with a Nack")
            .register(registry);
    Gauge.builder("gantry.dataplane.snapshot.version", version, AtomicLong::get)
        .description("Version of the snapshot served")
        .strongReference(true)
        .register(registry);
    Gauge.builder("gantry.dataplane.control.plane.connected", connected, AtomicInteger::get)
        .description("1 while a snapshot stream is up")
        .strongReference(true)
        .register(registry);
  }

  void applied(long servedVersion) {
    applied.increment();
    version.set(servedVersion);
  }

  void rejected() {
    rejected.increment();
  }

  void connected(boolean up) {
    connected.set(up ? 1 : 0);
  }
}
