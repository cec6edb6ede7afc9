package dev.gantry.dataplane.balance;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks endpoints at random in proportion to their weights: a binary search over cumulative
 * weights. Shares no mutable state, so event loops never contend on it. Thread-safe.
 */
final class RandomLoadBalancer implements LoadBalancer {
  private final List<Endpoint> endpoints;
  private final long[] cumulative;

  RandomLoadBalancer(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    this.cumulative = new long[this.endpoints.size()];
    long sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      sum += this.endpoints.get(i).weight();
      cumulative[i] = sum;
    }
  }

  @Override
  public Endpoint pick() {
    if (cumulative.length == 0) {
      return null;
    }
    return endpoints.get(indexOf(ThreadLocalRandom.current().nextLong(total())));
  }

  /** Returns the endpoint owning {@code point}, a value in [0, total weight). */
  Endpoint at(long point) {
    return endpoints.get(indexOf(point));
  }

  long total() {
    return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
  }

  private int indexOf(long point) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > point) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }
}
