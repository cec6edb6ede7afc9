package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The whole compiled routing state: virtual hosts sorted by host, clusters sorted by name, and the
 * certificates the hosts (or the default certificate) name, sorted by name, each once. Equal input
 * gives an equal graph.
 */
public record RouteGraph(
    List<VirtualHost> virtualHosts, List<Cluster> clusters, List<TlsCertificate> certificates) {
  public static final RouteGraph EMPTY = new RouteGraph(List.of(), List.of(), List.of());

  public RouteGraph {
    virtualHosts = List.copyOf(requireNonNull(virtualHosts, "virtualHosts"));
    clusters = List.copyOf(requireNonNull(clusters, "clusters"));
    certificates = List.copyOf(requireNonNull(certificates, "certificates"));
  }

  /** A graph without TLS. */
  public RouteGraph(List<VirtualHost> virtualHosts, List<Cluster> clusters) {
    this(virtualHosts, clusters, List.of());
  }
}
