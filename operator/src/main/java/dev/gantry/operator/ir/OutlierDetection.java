package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Passive outlier detection of a cluster's endpoints; counts of 0 are off.
 *
 * @param maxEjectionPercent 0..100
 */
public record OutlierDetection(
    int consecutiveGatewayErrors,
    int consecutive5xx,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent) {

  /** What a rule that says nothing gets; equal to the dataplane's default for an absent message. */
  public static final OutlierDetection DEFAULT =
      new OutlierDetection(5, 0, Duration.ofSeconds(30), Duration.ofSeconds(300), 50);

  public OutlierDetection {
    requireNonNull(baseEjectionTime, "baseEjectionTime");
    requireNonNull(maxEjectionTime, "maxEjectionTime");
    if (consecutiveGatewayErrors < 0 || consecutive5xx < 0) {
      throw new IllegalArgumentException(
          "counts: " + consecutiveGatewayErrors + ", " + consecutive5xx + " (expected: >= 0)");
    }
    if (baseEjectionTime.isZero()
        || baseEjectionTime.isNegative()
        || maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new IllegalArgumentException(
          "ejection times: "
              + baseEjectionTime
              + ", "
              + maxEjectionTime
              + " (expected: 0 < base <= max)");
    }
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException(
          "maxEjectionPercent: " + maxEjectionPercent + " (expected: 0..100)");
    }
  }
}
