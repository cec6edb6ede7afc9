package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Active HTTP health checking of a cluster's endpoints.
 *
 * @param host the probes' Host header, {@code ""} for the endpoint's address
 * @param statusMin the lowest passing status
 * @param statusMax the highest passing status
 */
public record HealthCheck(
    String path,
    Duration interval,
    Duration timeout,
    int healthyThreshold,
    int unhealthyThreshold,
    String host,
    int statusMin,
    int statusMax) {
  public HealthCheck {
    requireNonNull(path, "path");
    requireNonNull(interval, "interval");
    requireNonNull(timeout, "timeout");
    requireNonNull(host, "host");
    if (interval.isZero() || interval.isNegative() || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "interval, timeout: " + interval + ", " + timeout + " (expected: > 0)");
    }
    if (healthyThreshold < 1 || unhealthyThreshold < 1) {
      throw new IllegalArgumentException(
          "thresholds: " + healthyThreshold + ", " + unhealthyThreshold + " (expected: >= 1)");
    }
    if (statusMin < 100 || statusMax > 599 || statusMin > statusMax) {
      throw new IllegalArgumentException(
          "statuses: " + statusMin + ".." + statusMax + " (expected: 100 <= min <= max <= 599)");
    }
  }
}
