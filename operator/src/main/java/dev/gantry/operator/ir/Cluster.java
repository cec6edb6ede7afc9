package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The ready endpoints of one Service port, named {@code namespace/service:port}; {@code +protocol}
 * follows when a backend reference overrides the port's appProtocol, and {@code #key} when a rule
 * asks for a non-default {@link ClusterPolicy}. A cluster with no endpoints answers 503; {@code
 * emptyReason} says why when the compiler knows.
 */
public record Cluster(
    String name,
    List<Endpoint> endpoints,
    String emptyReason,
    ClusterPolicy policy,
    UpstreamProtocol protocol) {
  public Cluster {
    requireNonNull(name, "name");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    requireNonNull(emptyReason, "emptyReason");
    requireNonNull(policy, "policy");
    requireNonNull(protocol, "protocol");
  }

  /** Returns an HTTP/1.1 cluster with the default policy. */
  public Cluster(String name, List<Endpoint> endpoints, String emptyReason) {
    this(name, endpoints, emptyReason, ClusterPolicy.DEFAULT, UpstreamProtocol.HTTP1);
  }

  /** Returns an HTTP/1.1 cluster with {@code policy}. */
  public Cluster(String name, List<Endpoint> endpoints, String emptyReason, ClusterPolicy policy) {
    this(name, endpoints, emptyReason, policy, UpstreamProtocol.HTTP1);
  }

  /**
   * Returns this Service port's cluster spoken to over {@code override}: itself when that is what
   * the port says already (or {@code override} is null), else a cluster of its own. Call before
   * {@link #withPolicy}.
   */
  public Cluster withProtocol(UpstreamProtocol override) {
    if (override == null || override == protocol) {
      return this;
    }
    return new Cluster(name + "+" + override.tag(), endpoints, emptyReason, policy, override);
  }

  /**
   * Returns this Service port's cluster under {@code policy}: a cluster of its own unless default.
   */
  public Cluster withPolicy(ClusterPolicy policy) {
    if (policy.equals(this.policy)) {
      return this;
    }
    String base = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
    String suffix = policy.isDefault() ? "" : "#" + policy.key();
    return new Cluster(base + suffix, endpoints, emptyReason, policy, protocol);
  }

  /** Returns the cluster name for a Service port. */
  public static String nameOf(String namespace, String service, int port) {
    return namespace + "/" + service + ":" + port;
  }
}
