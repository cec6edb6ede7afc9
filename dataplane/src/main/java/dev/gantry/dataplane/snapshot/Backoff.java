package dev.gantry.dataplane.snapshot;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Spaces out reconnection attempts: the delay doubles from {@code initial} up to {@code max}, and
 * each delay is drawn at random from its upper half ("equal jitter") so that many dataplanes do not
 * reconnect in step.
 *
 * <p>Thread-safe.
 */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private final DoubleSupplier random;
  private long nextNanos;

  /**
   * @param random returns values in [0, 1)
   */
  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialNanos = requireNonNull(initial, "initial").toNanos();
    this.maxNanos = requireNonNull(max, "max").toNanos();
    this.random = requireNonNull(random, "random");
    if (initialNanos <= 0 || maxNanos < initialNanos) {
      throw new IllegalArgumentException(
          "backoff: " + initial + ".." + max + " (expected: 0 < initial <= max)");
    }
    this.nextNanos = initialNanos;
  }

  /** Returns the delay before the next attempt and doubles the one after, up to the maximum. */
  synchronized Duration next() {
    long base = nextNanos;
    nextNanos = Math.min(maxNanos, base > maxNanos / 2 ? maxNanos : base * 2);
    return Duration.ofNanos(base / 2 + (long) (random.getAsDouble() * (base / 2)));
  }

  /** Starts over from the initial delay; called once a connection proved healthy. */
  synchronized void reset() {
    nextNanos = initialNanos;
  }
}
