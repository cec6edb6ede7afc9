package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * When a route's failed attempt at an upstream is tried again. Immutable; safe from any thread.
 *
 * @param attempts how many retries after the first attempt; 0 for none
 * @param on the conditions that cause a retry, besides {@code codes}
 * @param codes upstream response statuses (400..599) that cause a retry
 * @param backoff the wait before the first retry, doubled for each further one; zero for none
 * @param perTryTimeout the timeout of each attempt; zero for none
 * @param nonIdempotent whether POST, PATCH and CONNECT are retried like the other methods
 */
public record RetryPolicy(
    int attempts,
    Set<Condition> on,
    Set<Integer> codes,
    Duration backoff,
    Duration perTryTimeout,
    boolean nonIdempotent) {

  /** The policy of a route that sets none: one retry when the connection cannot be established. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          1, Set.of(Condition.CONNECT_FAILURE), Set.of(), Duration.ZERO, Duration.ZERO, false);

  /** What may cause a retry. */
  public enum Condition {
    /** The connection could not be established: the request never reached the upstream. */
    CONNECT_FAILURE,
    /** The upstream reset or closed the connection before a response head arrived. */
    RESET,
    /** The upstream answered 502, 503 or 504. */
    GATEWAY_ERROR,
    /** The attempt's per-try timeout passed before a response head arrived. */
    PER_TRY_TIMEOUT
  }

  public RetryPolicy {
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 0)");
    }
    on = on.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(requireNonNull(on, "on")));
    codes = Set.copyOf(requireNonNull(codes, "codes"));
    for (int code : codes) {
      if (code < 400 || code > 599) {
        throw new IllegalArgumentException("codes: " + code + " (expected: 400..599)");
      }
    }
    requireNonNull(backoff, "backoff");
    requireNonNull(perTryTimeout, "perTryTimeout");
    if (backoff.isNegative() || perTryTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "backoff, perTryTimeout: " + backoff + ", " + perTryTimeout + " (expected: >= 0)");
    }
  }

  /** Returns whether {@code condition} causes a retry. */
  public boolean retriesOn(Condition condition) {
    return on.contains(condition);
  }

  /**
   * Returns whether an upstream response with {@code status} causes a retry. Boxes {@code status}
   * when codes are set: call it for error statuses only.
   */
  public boolean retriesStatus(int status) {
    return (status >= 502 && status <= 504 && on.contains(Condition.GATEWAY_ERROR))
        || (status >= 400 && !codes.isEmpty() && codes.contains(status));
  }

  /** Returns the wait before retry number {@code retry} (1 for the first), without jitter. */
  public Duration backoff(int retry) {
    if (backoff.isZero()) {
      return Duration.ZERO;
    }
    return backoff.multipliedBy(1L << Math.min(retry - 1, 10));
  }
}
