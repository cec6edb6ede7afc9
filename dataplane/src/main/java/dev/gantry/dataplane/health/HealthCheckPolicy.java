package dev.gantry.dataplane.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How one cluster's endpoints are probed. Immutable.
 *
 * @param path the origin-form target of each probe, starting with {@code /}
 * @param interval time between two probes of one endpoint (jittered by up to a tenth)
 * @param timeout how long a probe may take, connect to response head
 * @param healthyThreshold passed probes in a row that make an unhealthy endpoint healthy
 * @param unhealthyThreshold failed probes in a row that make a healthy endpoint unhealthy
 * @param host the Host header of probes; {@code ""} for the endpoint's address and port
 * @param statusMin the lowest status that passes
 * @param statusMax the highest status that passes
 */
public record HealthCheckPolicy(
    String path,
    Duration interval,
    Duration timeout,
    int healthyThreshold,
    int unhealthyThreshold,
    String host,
    int statusMin,
    int statusMax) {

  /** The statuses that pass when the snapshot names none: 200..399. */
  public static final int DEFAULT_STATUS_MIN = 200;

  public static final int DEFAULT_STATUS_MAX = 399;

  public HealthCheckPolicy {
    requireNonNull(path, "path");
    requireNonNull(interval, "interval");
    requireNonNull(timeout, "timeout");
    requireNonNull(host, "host");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: " + path + " (expected: starting with /)");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    if (healthyThreshold < 1) {
      throw new IllegalArgumentException(
          "healthyThreshold: " + healthyThreshold + " (expected: >= 1)");
    }
    if (unhealthyThreshold < 1) {
      throw new IllegalArgumentException(
          "unhealthyThreshold: " + unhealthyThreshold + " (expected: >= 1)");
    }
    if (statusMin < 100 || statusMax > 599 || statusMin > statusMax) {
      throw new IllegalArgumentException(
          "status range: "
              + statusMin
              + ".."
              + statusMax
              + " (expected: 100 <= min <= max <= 599)");
    }
  }

  /** Returns whether a probe answered with {@code status} passed. */
  public boolean passes(int status) {
    return status >= statusMin && status <= statusMax;
  }
}
