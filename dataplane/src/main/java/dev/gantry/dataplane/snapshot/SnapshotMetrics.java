package dev.gantry.dataplane.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts snapshots: {@code gantry_dataplane_snapshots_applied_total}, {@code …_rejected_total}, the
 * gauges {@code gantry_dataplane_snapshot_version} (version served), {@code
 * gantry_dataplane_snapshot_applied_timestamp_seconds} (when it was applied, the Prometheus way to
 * tell an age: {@code time() - ...}), {@code gantry_dataplane_snapshot_age_seconds} (the same age,
 * read at scrape, for dashboards without PromQL) and {@code
 * gantry_dataplane_control_plane_connected} (1 while a stream has delivered a snapshot and not
 * failed). Both time gauges are NaN until a snapshot is applied. Safe from any thread.
 */
final class SnapshotMetrics {

  private final Counter applied;
  private final Counter rejected;
  private final AtomicLong version = new AtomicLong();
  private final AtomicInteger connected = new AtomicInteger();
  private final Clock clock;

  /** Wall-clock milliseconds when the served snapshot was applied; 0 before the first. */
  private final AtomicLong appliedAtMillis = new AtomicLong();

  SnapshotMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  SnapshotMetrics(MeterRegistry registry, Clock clock) {
    this.clock = clock;
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
    Gauge.builder("gantry.dataplane.snapshot.applied.timestamp", this, m -> m.appliedAtSeconds())
        .description("Unix time when the served snapshot was applied")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    Gauge.builder("gantry.dataplane.snapshot.age", this, m -> m.ageSeconds())
        .description("Seconds since the served snapshot was applied")
        .baseUnit("seconds")
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
    appliedAtMillis.set(clock.millis());
  }

  private double appliedAtSeconds() {
    long at = appliedAtMillis.get();
    return at == 0 ? Double.NaN : at / 1000.0;
  }

  private double ageSeconds() {
    long at = appliedAtMillis.get();
    return at == 0 ? Double.NaN : Math.max(0, clock.millis() - at) / 1000.0;
  }

  void rejected() {
    rejected.increment();
  }

  void connected(boolean up) {
    connected.set(up ? 1 : 0);
  }
}
