package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The ready endpoints of one Service port, named {@code namespace/service:port}. A cluster with no
 * endpoints answers 503; {@code emptyReason} says why when the compiler knows.
 */
public record Cluster(
    String name, List<Endpoint> endpoints, String emptyReason, LbPolicy lbPolicy) {
  public Cluster {
    requireNonNull(name, "name");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    requireNonNull(emptyReason, "emptyReason");
    requireNonNull(lbPolicy, "lbPolicy");
  }

  /** Returns a round-robin cluster. */
  public Cluster(String name, List<Endpoint> endpoints, String emptyReason) {
    this(name, endpoints, emptyReason, LbPolicy.ROUND_ROBIN);
  }

  /**
   * Returns this Service port's cluster balanced by {@code policy}: a cluster of its own, named
   * {@code namespace/service:port#policy}, unless the policy is round robin.
   */
  public Cluster balancedBy(LbPolicy policy) {
    if (policy == lbPolicy) {
      return this;
    }
    String base = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
    String suffix =
        policy == LbPolicy.ROUND_ROBIN
            ? ""
            : "#" + policy.name().toLowerCase(java.util.Locale.ROOT);
    return new Cluster(base + suffix, endpoints, emptyReason, policy);
  }

  /** Returns the cluster name for a Service port. */
  public static String nameOf(String namespace, String service, int port) {
    return namespace + "/" + service + ":" + port;
  }
}
