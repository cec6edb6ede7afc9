package dev.gantry.operator.ir;

/**
 * Limits on what the dataplane sends one cluster at once; 0 means unlimited, and a negative budget
 * field means the dataplane default (20% and 3).
 */
public record CircuitBreakers(
    int maxConnections,
    int maxPendingRequests,
    int maxRequests,
    int maxRetries,
    int budgetPercent,
    int minRetryConcurrency) {

  /** No limits and the default retry budget: what a rule without a circuit breaker gets. */
  public static final CircuitBreakers NONE = new CircuitBreakers(0, 0, 0, 0, -1, -1);

  /** Returns whether the rule set a retry budget. */
  public boolean hasRetryBudget() {
    return budgetPercent >= 0 || minRetryConcurrency >= 0;
  }

  /** Returns a stable text naming every limit, for a cluster key. */
  String canonical() {
    return maxConnections
        + "/"
        + maxPendingRequests
        + "/"
        + maxRequests
        + "/"
        + maxRetries
        + "/"
        + budgetPercent
        + "/"
        + minRetryConcurrency;
  }
}
