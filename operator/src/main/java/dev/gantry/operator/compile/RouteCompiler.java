package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import java.util.Comparator;
import java.util.Objects;

/**
 * Compiles the whole observed world into one route graph. A pure function: no I/O, no clock, and
 * equal sources give an equal result. Bad input is reported per object and never fails the compile.
 */
public final class RouteCompiler {
  // Oldest first, so that the oldest claim on a host and path wins deterministically.
  private static final Comparator<ProxyRoute> AGE =
      Comparator.comparing(
              (ProxyRoute r) ->
                  Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(r -> BackendIndex.namespaceOf(r.getMetadata().getNamespace()))
          .thenComparing(r -> r.getMetadata().getName());

  public CompileResult compile(Sources sources) {
    GraphBuilder graph = new GraphBuilder();
    BackendIndex backends = new BackendIndex(sources.services(), sources.endpointSlices());
    ProxyRouteProcessor proxyRoutes = new ProxyRouteProcessor(backends, graph);
    sources.proxyRoutes().stream().sorted(AGE).forEach(proxyRoutes::process);
    return graph.build();
  }
}
