package dev.gantry.dataplane.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When passive outlier detection ejects an endpoint of one cluster, and for how long. Immutable.
 *
 * @param consecutiveGatewayErrors gateway errors in a row (connect failures, resets, timeouts, 502,
 *     503, 504) that eject an endpoint; 0 to not count them
 * @param consecutive5xx 5xx answers or gateway errors in a row that eject an endpoint; 0 to not
 *     count them
 * @param baseEjectionTime the first ejection's length; the n-th lasts n times as long
 * @param maxEjectionTime the longest ejection
 * @param maxEjectionPercent at most this share of the cluster's endpoints (rounded down) is ejected
 *     at once
 */
public record OutlierPolicy(
    int consecutiveGatewayErrors,
    int consecutive5xx,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent) {

  /** What a cluster gets when the snapshot says nothing: on, like nginx's max_fails. */
  public static final OutlierPolicy DEFAULT =
      new OutlierPolicy(5, 0, Duration.ofSeconds(30), Duration.ofSeconds(300), 50);

  /** Ejects nothing. */
  public static final OutlierPolicy DISABLED =
      new OutlierPolicy(0, 0, Duration.ofSeconds(30), Duration.ofSeconds(300), 0);

  public OutlierPolicy {
    requireNonNull(baseEjectionTime, "baseEjectionTime");
    requireNonNull(maxEjectionTime, "maxEjectionTime");
    if (consecutiveGatewayErrors < 0) {
      throw new IllegalArgumentException(
          "consecutiveGatewayErrors: " + consecutiveGatewayErrors + " (expected: >= 0)");
    }
    if (consecutive5xx < 0) {
      throw new IllegalArgumentException("consecutive5xx: " + consecutive5xx + " (expected: >= 0)");
    }
    if (baseEjectionTime.isNegative() || baseEjectionTime.isZero()) {
      throw new IllegalArgumentException(
          "baseEjectionTime: " + baseEjectionTime + " (expected: > 0)");
    }
    if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new IllegalArgumentException(
          "maxEjectionTime: " + maxEjectionTime + " (expected: >= baseEjectionTime)");
    }
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException(
          "maxEjectionPercent: " + maxEjectionPercent + " (expected: 0..100)");
    }
  }

  /** Returns whether any outcome can eject an endpoint. */
  public boolean enabled() {
    return (consecutiveGatewayErrors > 0 || consecutive5xx > 0) && maxEjectionPercent > 0;
  }

  /** Returns how long the {@code n}-th ejection in a row lasts: n × base, at most max. */
  public Duration ejectionTime(int n) {
    Duration time = baseEjectionTime.multipliedBy(Math.max(1, n));
    return time.compareTo(maxEjectionTime) > 0 ? maxEjectionTime : time;
  }

  /** Returns how many of {@code endpoints} may be ejected at once. */
  public int maxEjected(int endpoints) {
    return (int) ((long) endpoints * maxEjectionPercent / 100);
  }
}
