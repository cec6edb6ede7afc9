package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A route's local rate limit: {@code requests} per {@code per}, evenly, plus {@code burst} at once,
 * on each dataplane; one budget for the route or one per client address.
 */
public record RateLimit(int requests, Duration per, int burst, boolean perClient) {
  public RateLimit {
    requireNonNull(per, "per");
    if (requests <= 0 || per.isNegative() || per.isZero() || burst < 0) {
      throw new IllegalArgumentException(
          "rate limit: " + requests + " per " + per + " burst " + burst + " (expected: positive)");
    }
  }
}
