package dev.gantry.dataplane.balance;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * Consistent hashing on a ring (Ketama): each endpoint owns points on a 64-bit ring in proportion
 * to its weight, and a key goes to the first point at or after its hash. Adding or removing one of
 * N endpoints moves about 1/N of the keys. The ring is built once per snapshot; a pick is a binary
 * search. Thread-safe.
 */
final class RingHashLoadBalancer implements LoadBalancer {
  /**
   * Ring points per unit of weight (Ketama's 160). Fixed, not derived from the endpoint count, so
   * that a surviving endpoint keeps exactly its points, and its keys, when another comes or goes.
   */
  static final int POINTS_PER_WEIGHT = 160;

  /** The most points a ring holds; heavier clusters get fewer points per unit of weight. */
  static final int MAX_RING_SIZE = 1 << 18;

  private final List<Endpoint> endpoints;
  private final long[] points;
  private final Endpoint[] owners;
  private final RandomLoadBalancer keyless;

  RingHashLoadBalancer(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    this.keyless = new RandomLoadBalancer(this.endpoints);
    long totalWeight = this.endpoints.stream().mapToLong(Endpoint::weight).sum();
    int perWeight =
        totalWeight * POINTS_PER_WEIGHT <= MAX_RING_SIZE
            ? POINTS_PER_WEIGHT
            : (int) Math.max(1, MAX_RING_SIZE / totalWeight);
    int size = (int) (totalWeight * perWeight);
    long[] hashes = new long[size];
    Endpoint[] byHash = new Endpoint[size];
    int k = 0;
    for (Endpoint e : this.endpoints) {
      String name = e.address().getHostString() + ":" + e.address().getPort();
      for (int replica = 0; replica < e.weight() * perWeight; replica++) {
        hashes[k] = KeyHash.of(name + "_" + replica);
        byHash[k] = e;
        k++;
      }
    }
    Integer[] order = new Integer[size];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Long.compareUnsigned(hashes[a], hashes[b]));
    this.points = new long[size];
    this.owners = new Endpoint[size];
    for (int i = 0; i < size; i++) {
      points[i] = hashes[order[i]];
      owners[i] = byHash[order[i]];
    }
  }

  /** Returns a random endpoint: a request without a hash key is not tied to any. */
  @Override
  public Endpoint pick() {
    return keyless.pick();
  }

  @Override
  public Endpoint pick(long hash) {
    if (points.length == 0) {
      return null;
    }
    int lo = 0;
    int hi = points.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(points[mid], hash) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return owners[lo == points.length ? 0 : lo];
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }
}
