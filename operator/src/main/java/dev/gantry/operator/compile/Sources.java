package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * Everything the compiler reads: the observed objects at one instant. The compiler never mutates
 * them. {@code secrets} holds the {@code kubernetes.io/tls} Secrets (others are ignored).
 */
public record Sources(
    List<ProxyRoute> proxyRoutes,
    List<Service> services,
    List<EndpointSlice> endpointSlices,
    List<Secret> secrets) {
  public static final Sources EMPTY = new Sources(List.of(), List.of(), List.of(), List.of());

  public Sources {
    proxyRoutes = List.copyOf(requireNonNull(proxyRoutes, "proxyRoutes"));
    services = List.copyOf(requireNonNull(services, "services"));
    endpointSlices = List.copyOf(requireNonNull(endpointSlices, "endpointSlices"));
    secrets = List.copyOf(requireNonNull(secrets, "secrets"));
  }

  /** Sources without Secrets. */
  public Sources(
      List<ProxyRoute> proxyRoutes, List<Service> services, List<EndpointSlice> endpointSlices) {
    this(proxyRoutes, services, endpointSlices, List.of());
  }
}
