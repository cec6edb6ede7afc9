package dev.gantry.dataplane.snapshot;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Configures the snapshot client.
 *
 * @param nodeId this dataplane's stable name, sent in Hello
 * @param build this dataplane's build, sent in Hello
 * @param initialBackoff first delay before reconnecting after a stream ends (default 250 ms)
 * @param maxBackoff longest delay between reconnection attempts (default 30 s)
 */
public record SnapshotClientConfig(
    String nodeId, String build, Duration initialBackoff, Duration maxBackoff) {

  /** Default {@link #initialBackoff()}. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);

  /** Default {@link #maxBackoff()}. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  public SnapshotClientConfig {
    requireNonNull(nodeId, "nodeId");
    requireNonNull(build, "build");
    requireNonNull(initialBackoff, "initialBackoff");
    requireNonNull(maxBackoff, "maxBackoff");
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException(
          "nodeId: blank (expected: a stable name, e.g. the pod name)");
    }
    if (initialBackoff.isNegative()
        || initialBackoff.isZero()
        || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff: "
              + initialBackoff
              + ".."
              + maxBackoff
              + " (expected: 0 < initialBackoff <= maxBackoff)");
    }
  }
}
