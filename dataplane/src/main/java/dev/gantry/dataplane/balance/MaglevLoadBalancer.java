package dev.gantry.dataplane.balance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Consistent hashing by Maglev (Eisenbud et al., NSDI 2016): a lookup table of a prime size filled
 * from each endpoint's own permutation of the slots, so every endpoint gets an almost equal share
 * (weighted here: an endpoint takes turns in proportion to its weight) and a pick is one array
 * read. Removing an endpoint moves little more than its own keys. Built once per snapshot;
 * thread-safe.
 */
final class MaglevLoadBalancer implements LoadBalancer {
  /** The table size: a prime well above 100 times the endpoint count for typical clusters. */
  static final int TABLE_SIZE = 65537;

  private final List<Endpoint> endpoints;
  private final Endpoint[] table;
  private final RandomLoadBalancer keyless;

  MaglevLoadBalancer(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    this.keyless = new RandomLoadBalancer(this.endpoints);
    this.table = this.endpoints.isEmpty() ? new Endpoint[0] : populate(this.endpoints);
  }

  private static Endpoint[] populate(List<Endpoint> endpoints) {
    int n = endpoints.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    double[] credit = new double[n];
    int maxWeight = endpoints.stream().mapToInt(Endpoint::weight).max().orElse(1);
    for (int i = 0; i < n; i++) {
      String name =
          endpoints.get(i).address().getHostString() + ":" + endpoints.get(i).address().getPort();
      offset[i] = Long.remainderUnsigned(KeyHash.of(name), TABLE_SIZE);
      skip[i] = Long.remainderUnsigned(KeyHash.of(name, 0x9e3779b97f4a7c15L), TABLE_SIZE - 1) + 1;
    }
    Endpoint[] table = new Endpoint[TABLE_SIZE];
    int filled = 0;
    while (true) {
      for (int i = 0; i < n; i++) {
        credit[i] += endpoints.get(i).weight() / (double) maxWeight;
        if (credit[i] < 1) {
          continue; // a lighter endpoint sits out some rounds
        }
        credit[i] -= 1;
        long slot;
        do {
          slot = (offset[i] + next[i] * skip[i]) % TABLE_SIZE;
          next[i]++;
        } while (table[(int) slot] != null);
        table[(int) slot] = endpoints.get(i);
        if (++filled == TABLE_SIZE) {
          return table;
        }
      }
    }
  }

  /** Returns a random endpoint: a request without a hash key is not tied to any. */
  @Override
  public Endpoint pick() {
    return keyless.pick();
  }

  @Override
  public Endpoint pick(long hash) {
    return table.length == 0 ? null : table[(int) Long.remainderUnsigned(hash, TABLE_SIZE)];
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }
}
