package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A rule's retries, as the rule states them (the dataplane applies its default to a rule without
 * one).
 *
 * @param attempts retries after the first attempt
 * @param on the conditions, besides {@code codes}, in a stable order
 * @param codes response statuses that cause a retry, ascending
 * @param backoff the wait before the first retry; zero for none
 * @param perTryTimeout the timeout of each attempt; zero when the rule sets none
 * @param nonIdempotent whether POST, PATCH and CONNECT are retried too
 */
public record RetryPolicy(
    int attempts,
    List<Condition> on,
    List<Integer> codes,
    Duration backoff,
    Duration perTryTimeout,
    boolean nonIdempotent) {

  /** What causes a retry. */
  public enum Condition {
    CONNECT_FAILURE,
    RESET,
    GATEWAY_ERROR,
    PER_TRY_TIMEOUT
  }

  public RetryPolicy {
    on = List.copyOf(requireNonNull(on, "on")).stream().distinct().sorted().toList();
    codes = List.copyOf(requireNonNull(codes, "codes")).stream().distinct().sorted().toList();
    requireNonNull(backoff, "backoff");
    requireNonNull(perTryTimeout, "perTryTimeout");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 0)");
    }
  }
}
