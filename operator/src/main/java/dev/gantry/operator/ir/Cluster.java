package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The ready endpoints of one Service port, named {@code namespace/service:port}; {@code +protocol}
 * follows when a backend reference overrides the port's appProtocol, and {@code #key} when a rule
 * asks for a non-default {@link ClusterPolicy}; {@code +tls-<digest>} names TLS settings other than
 * the Service's defaults. A cluster with no endpoints answers 503; {@code emptyReason} says why
 * when the compiler knows.
 *
 * @param tls how a TLS backend is checked; present exactly when {@code protocol} is over TLS
 */
public record Cluster(
    String name,
    List<Endpoint> endpoints,
    String emptyReason,
    ClusterPolicy policy,
    UpstreamProtocol protocol,
    Optional<UpstreamTlsSettings> tls) {
  public Cluster {
    requireNonNull(name, "name");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    requireNonNull(emptyReason, "emptyReason");
    requireNonNull(policy, "policy");
    requireNonNull(protocol, "protocol");
    requireNonNull(tls, "tls");
    if (protocol.isTls() != tls.isPresent()) {
      throw new IllegalArgumentException(
          "tls: "
              + tls
              + " (expected: settings exactly when the protocol, "
              + protocol
              + ", is TLS)");
    }
  }

  /** Returns an HTTP/1.1 cluster with the default policy. */
  public Cluster(String name, List<Endpoint> endpoints, String emptyReason) {
    this(
        name,
        endpoints,
        emptyReason,
        ClusterPolicy.DEFAULT,
        UpstreamProtocol.HTTP1,
        Optional.empty());
  }

  /** Returns an HTTP/1.1 cluster with {@code policy}. */
  public Cluster(String name, List<Endpoint> endpoints, String emptyReason, ClusterPolicy policy) {
    this(name, endpoints, emptyReason, policy, UpstreamProtocol.HTTP1, Optional.empty());
  }

  /**
   * Returns this Service port's cluster spoken to over {@code override} (null: the port's own
   * protocol) with {@code settings} when that is TLS: itself when nothing changes, else a cluster
   * of its own. {@code defaults} are the Service's TLS defaults, which keep the plain name. Call
   * before {@link #withPolicy}.
   */
  public Cluster withTransport(
      UpstreamProtocol override, UpstreamTlsSettings settings, UpstreamTlsSettings defaults) {
    UpstreamProtocol effective = override == null ? protocol : override;
    Optional<UpstreamTlsSettings> tls =
        effective.isTls() ? Optional.of(settings) : Optional.empty();
    if (effective == protocol && tls.equals(this.tls)) {
      return this;
    }
    String suffix =
        (effective == protocol ? "" : "+" + effective.tag())
            + (tls.isPresent() && !settings.equals(defaults) ? "+tls-" + settings.key() : "");
    return new Cluster(name + suffix, endpoints, emptyReason, policy, effective, tls);
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
    return new Cluster(base + suffix, endpoints, emptyReason, policy, protocol, tls);
  }

  /** Returns the cluster name for a Service port. */
  public static String nameOf(String namespace, String service, int port) {
    return namespace + "/" + service + ":" + port;
  }
}
