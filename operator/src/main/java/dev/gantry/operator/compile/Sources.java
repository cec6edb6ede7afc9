package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * Everything the compiler reads: the observed objects at one instant. The compiler never mutates
 * them.
 */
public record Sources(
    List<ProxyRoute> proxyRoutes, List<Service> services, List<EndpointSlice> endpointSlices) {
  public static final Sources EMPTY = new Sources(List.of(), List.of(), List.of());

  public Sources {
    proxyRoutes = List.copyOf(requireNonNull(proxyRoutes, "proxyRoutes"));
    services = List.copyOf(requireNonNull(services, "services"));
    endpointSlices = List.copyOf(requireNonNull(endpointSlices, "endpointSlices"));
  }
}
