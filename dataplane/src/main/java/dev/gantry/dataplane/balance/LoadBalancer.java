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

  /**
   * Returns the endpoint for a request whose hash key hashes to {@code hash} ({@link KeyHash}), or
   * {@code null} when the cluster has none. Consistent-hashing balancers map equal hashes to the
   * same endpoint while the endpoint set stays the same; the others ignore the hash.
   */
  default Endpoint pick(long hash) {
    return pick();
  }

  /**
   * Tells the balancer that a request sent to {@code endpoint} has ended (least request counts).
   */
  default void completed(Endpoint endpoint) {}

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

  /** Returns a balancer picking at random, in proportion to the weights. */
  static LoadBalancer random(List<Endpoint> endpoints) {
    return new RandomLoadBalancer(endpoints);
  }

  /**
   * Returns a least-request balancer (power of two choices over requests in flight per weight);
   * callers report each request's end with {@link #completed}.
   */
  static LoadBalancer leastRequest(List<Endpoint> endpoints) {
    return new LeastRequestLoadBalancer(endpoints);
  }

  /** Returns a consistent-hashing balancer on a weighted ring (Ketama). */
  static LoadBalancer ringHash(List<Endpoint> endpoints) {
    return new RingHashLoadBalancer(endpoints);
  }

  /** Returns a consistent-hashing balancer with a Maglev lookup table. */
  static LoadBalancer maglev(List<Endpoint> endpoints) {
    return new MaglevLoadBalancer(endpoints);
  }
}
