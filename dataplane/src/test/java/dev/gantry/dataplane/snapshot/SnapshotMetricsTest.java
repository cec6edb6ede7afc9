package dev.gantry.dataplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SnapshotMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final SnapshotMetrics metrics = new SnapshotMetrics(registry, clock);

  @Test
  void tellsNoAgeBeforeTheFirstSnapshot() {
    assertThat(gauge("gantry.dataplane.snapshot.age")).isNaN();
    assertThat(gauge("gantry.dataplane.snapshot.applied.timestamp")).isNaN();
  }

  @Test
  void agesTheServedSnapshotFromWhenItWasApplied() {
    metrics.applied(3);
    clock.advance(Duration.ofSeconds(90));

    assertThat(gauge("gantry.dataplane.snapshot.version")).isEqualTo(3);
    assertThat(gauge("gantry.dataplane.snapshot.applied.timestamp"))
        .isEqualTo(Instant.parse("2026-11-23T12:00:00Z").getEpochSecond());
    assertThat(gauge("gantry.dataplane.snapshot.age")).isEqualTo(90);
  }

  @Test
  void aNewSnapshotResetsTheAge() {
    metrics.applied(3);
    clock.advance(Duration.ofSeconds(90));
    metrics.applied(4);
    clock.advance(Duration.ofSeconds(2));

    assertThat(gauge("gantry.dataplane.snapshot.age")).isEqualTo(2);
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  /** A clock that moves only when told. */
  private static final class SteppingClock extends Clock {
    private Instant now;

    SteppingClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
