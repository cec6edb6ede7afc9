package dev.gantry.dataplane.routing;

/**
 * Limits on what the proxy sends one cluster at once, counted across every event loop; 0 means
 * unlimited. Immutable; safe from any thread.
 *
 * @param maxConnections open upstream connections the cluster opened
 * @param maxPendingRequests requests waiting for a new connection to be established
 * @param maxRequests requests in flight
 * @param maxRetries retries in flight
 * @param budgetPercent retries in flight may reach this percentage of the requests in flight…
 * @param minRetryConcurrency …or this many, whichever is larger
 */
public record CircuitBreakers(
    int maxConnections,
    int maxPendingRequests,
    int maxRequests,
    int maxRetries,
    int budgetPercent,
    int minRetryConcurrency) {

  /** The retry budget's share of the requests in flight when the snapshot sets none. */
  public static final int DEFAULT_BUDGET_PERCENT = 20;

  /** The retries always allowed in flight when the snapshot sets no retry budget. */
  public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

  /** No limits, and the default retry budget. */
  public static final CircuitBreakers NONE =
      new CircuitBreakers(0, 0, 0, 0, DEFAULT_BUDGET_PERCENT, DEFAULT_MIN_RETRY_CONCURRENCY);

  public CircuitBreakers {
    if (maxConnections < 0 || maxPendingRequests < 0 || maxRequests < 0 || maxRetries < 0) {
      throw new IllegalArgumentException(
          "limits: "
              + maxConnections
              + ", "
              + maxPendingRequests
              + ", "
              + maxRequests
              + ", "
              + maxRetries
              + " (expected: >= 0, 0 for unlimited)");
    }
    if (budgetPercent < 0 || budgetPercent > 100) {
      throw new IllegalArgumentException("budgetPercent: " + budgetPercent + " (expected: 0..100)");
    }
    if (minRetryConcurrency < 0) {
      throw new IllegalArgumentException(
          "minRetryConcurrency: " + minRetryConcurrency + " (expected: >= 0)");
    }
  }

  /** Returns whether {@code active} in flight leaves room for one more under {@code limit}. */
  public static boolean admits(int limit, int active) {
    return limit == 0 || active < limit;
  }

  /**
   * Returns whether the retry budget allows one more retry when {@code retries} retries and {@code
   * requests} requests are in flight.
   */
  public boolean budgetAdmits(int retries, int requests) {
    return retries < Math.max(minRetryConcurrency, (long) budgetPercent * requests / 100);
  }
}
