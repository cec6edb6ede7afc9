package dev.gantry.dataplane.balance;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Least request by the power of two choices: two endpoints drawn at random, the one with fewer
 * requests in flight per unit of weight wins. Nearly as good as a full scan, O(1), and free of the
 * herding a global minimum causes when many event loops pick at once. Counts are kept per balancer,
 * so a new snapshot starts them afresh. Thread-safe, lock-free.
 */
final class LeastRequestLoadBalancer implements LoadBalancer {
  private final List<Endpoint> endpoints;
  private final Map<Endpoint, Integer> index = new HashMap<>();
  private final AtomicIntegerArray active;

  LeastRequestLoadBalancer(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    for (int i = 0; i < this.endpoints.size(); i++) {
      index.putIfAbsent(this.endpoints.get(i), i);
    }
    this.active = new AtomicIntegerArray(this.endpoints.size());
  }

  @Override
  public Endpoint pick() {
    int n = endpoints.size();
    if (n == 0) {
      return null;
    }
    int chosen = 0;
    if (n > 1) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      chosen = load(a) <= load(b) ? a : b;
    }
    active.incrementAndGet(chosen);
    return endpoints.get(chosen);
  }

  /** Returns the requests in flight, counting the one about to start, per unit of weight. */
  private double load(int i) {
    return (active.get(i) + 1.0) / endpoints.get(i).weight();
  }

  @Override
  public void completed(Endpoint endpoint) {
    Integer i = index.get(endpoint);
    if (i != null) {
      active.updateAndGet(i, v -> Math.max(0, v - 1));
    }
  }

  /** Returns the requests in flight to {@code endpoint}, for tests and metrics. */
  int active(Endpoint endpoint) {
    Integer i = index.get(endpoint);
    return i == null ? 0 : active.get(i);
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }
}
