package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.routing.CircuitBreakers;
import dev.gantry.dataplane.upstream.ConnectionLimit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the proxy has in flight to one cluster, across every event loop: connections, requests
 * waiting for a connection, requests, retries. Checked against the cluster's {@link
 * CircuitBreakers} of the newest snapshot. Lives as long as the cluster's name, not one snapshot,
 * so that a snapshot swap neither forgets nor double-counts what is in flight.
 *
 * <p>Safe from any thread: lock-free counters, each admitted with a compare-and-set so that a limit
 * is never overshot.
 */
final class ClusterLoad implements ConnectionLimit {

  /** What a request that wants to retry is told. */
  enum RetryAdmission {
    ADMITTED,
    /** Over the retry budget: return the failure as it is. */
    OVER_BUDGET,
    /** Over the circuit breaker's max retries: answer 503. */
    OVER_MAX_RETRIES
  }

  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private volatile CircuitBreakers limits = CircuitBreakers.NONE;

  /** Takes the limits of the snapshot that routed the request at hand. */
  void limits(CircuitBreakers newest) {
    if (limits != newest) {
      limits = newest;
    }
  }

  /** Counts a request in flight; false (nothing counted) at max requests. */
  boolean tryStartRequest() {
    return tryIncrement(requests, limits.maxRequests());
  }

  void requestEnded() {
    requests.decrementAndGet();
  }

  /** Counts a request waiting for its connection; false (nothing counted) at max pending. */
  boolean tryStartPending() {
    return tryIncrement(pending, limits.maxPendingRequests());
  }

  void pendingEnded() {
    pending.decrementAndGet();
  }

  /**
   * Counts a retry in flight if the retry budget and max retries allow it; counts nothing
   * otherwise.
   */
  RetryAdmission tryStartRetry() {
    CircuitBreakers current = limits;
    for (; ; ) {
      int active = retries.get();
      if (!current.budgetAdmits(active, requests.get())) {
        return RetryAdmission.OVER_BUDGET;
      }
      if (!CircuitBreakers.admits(current.maxRetries(), active)) {
        return RetryAdmission.OVER_MAX_RETRIES;
      }
      if (retries.compareAndSet(active, active + 1)) {
        return RetryAdmission.ADMITTED;
      }
    }
  }

  void retryEnded() {
    retries.decrementAndGet();
  }

  @Override
  public boolean tryOpen() {
    return tryIncrement(connections, limits.maxConnections());
  }

  @Override
  public void closed() {
    connections.decrementAndGet();
  }

  int requests() {
    return requests.get();
  }

  int pending() {
    return pending.get();
  }

  int retries() {
    return retries.get();
  }

  int connections() {
    return connections.get();
  }

  private static boolean tryIncrement(AtomicInteger counter, int limit) {
    for (; ; ) {
      int active = counter.get();
      if (!CircuitBreakers.admits(limit, active)) {
        return false;
      }
      if (counter.compareAndSet(active, active + 1)) {
        return true;
      }
    }
  }
}
