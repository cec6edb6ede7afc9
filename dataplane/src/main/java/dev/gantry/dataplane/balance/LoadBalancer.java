package dev.gantry.dataplane.balance;

import java.util.List;

/**
 * Picks the endpoint for the next request to one cluster. Built once per snapshot per cluster and
 * never mutated afterwards except for its internal cursor.
 *
 * <p>Implementations are safe to call from any thread, concurrently, and never take a lock: every
 * event loop of the proxy picks from the same instance.
 */
public interface LoadBalancer {

  /** Returns the next endpoint, or {@code null} when the cluster has none. */
  Endpoint pick();

  /** Returns the endpoints this balancer picks from, in snapshot order. */
  List<Endpoint> endpoints();

  /**
   * Returns a round-robin balancer over {@code endpoints}: plain rotation when all weights are
   * equal, a smooth weighted rotation (each endpoint picked in proportion to its weight,
   * interleaved) otherwise.
   */
  static LoadBalancer roundRobin(List<Endpoint> endpoints) {
    return new RoundRobinLoadBalancer(endpoints);
  }
}
