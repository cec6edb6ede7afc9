package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The whole compiled routing state: virtual hosts sorted by host, clusters sorted by name. Equal
 * input gives an equal graph.
 */
public record RouteGraph(List<VirtualHost> virtualHosts, List<Cluster> clusters) {
  public static final RouteGraph EMPTY = new RouteGraph(List.of(), List.of());

  public RouteGraph {
    virtualHosts = List.copyOf(requireNonNull(virtualHosts, "virtualHosts"));
    clusters = List.copyOf(requireNonNull(clusters, "clusters"));
  }
}
