package dev.gantry.operator.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The snapshot side of the operator's metrics: the size of the newest snapshot, the dataplanes'
 * ACKs and NACKs, and how long each version took from its publish to each dataplane's ACK.
 * Thread-safe.
 */
public final class SnapshotMetrics {
  private static final int VERSIONS_REMEMBERED = 64;

  private final AtomicLong bytes = new AtomicLong();
  private final Counter acks;
  private final Counter nacks;
  private final Timer propagation;
  private final Map<Long, Long> publishedNanos =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
          return size() > VERSIONS_REMEMBERED;
        }
      };

  public SnapshotMetrics(MeterRegistry meters, SnapshotStore store) {
    Gauge.builder("gantry.operator.snapshot.size", bytes, AtomicLong::get)
        .baseUnit("bytes")
        .description("The newest snapshot, serialised")
        .register(meters);
    acks =
        Counter.builder("gantry.operator.snapshot.acks")
            .description("Snapshot versions dataplanes applied")
            .register(meters);
    nacks =
        Counter.builder("gantry.operator.snapshot.nacks")
            .description("Snapshot versions dataplanes rejected")
            .register(meters);
    propagation =
        Timer.builder("gantry.operator.snapshot.propagation")
            .description("From a snapshot version's publish to a dataplane's ACK of it")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(meters);
    store.subscribe(this::published);
  }

  private void published(SnapshotStore.Published p) {
    bytes.set(p.snapshot().getSerializedSize());
    synchronized (publishedNanos) {
      publishedNanos.putIfAbsent(p.version(), System.nanoTime());
    }
  }

  void acked(long version) {
    acks.increment();
    Long at;
    synchronized (publishedNanos) {
      at = publishedNanos.get(version);
    }
    if (at != null) {
      propagation.record(Duration.ofNanos(System.nanoTime() - at));
    }
  }

  void nacked() {
    nacks.increment();
  }
}
