package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.TLSCertificateDelegation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.List;

/**
 * Everything the compiler reads: the observed objects at one instant. The compiler never mutates
 * them. {@code secrets} holds the {@code kubernetes.io/tls} Secrets (others are ignored); {@code
 * delegations} say which of them routes of other namespaces may serve; {@code ingressClasses} say
 * which {@code ingresses} are Gantry's.
 */
public record Sources(
    List<ProxyRoute> proxyRoutes,
    List<Service> services,
    List<EndpointSlice> endpointSlices,
    List<Secret> secrets,
    List<TLSCertificateDelegation> delegations,
    List<Ingress> ingresses,
    List<IngressClass> ingressClasses,
    List<ConfigMap> configMaps) {
  public static final Sources EMPTY =
      new Sources(List.of(), List.of(), List.of(), List.of(), List.of());

  public Sources {
    proxyRoutes = List.copyOf(requireNonNull(proxyRoutes, "proxyRoutes"));
    services = List.copyOf(requireNonNull(services, "services"));
    endpointSlices = List.copyOf(requireNonNull(endpointSlices, "endpointSlices"));
    secrets = List.copyOf(requireNonNull(secrets, "secrets"));
    delegations = List.copyOf(requireNonNull(delegations, "delegations"));
    ingresses = List.copyOf(requireNonNull(ingresses, "ingresses"));
    ingressClasses = List.copyOf(requireNonNull(ingressClasses, "ingressClasses"));
    configMaps = List.copyOf(requireNonNull(configMaps, "configMaps"));
  }

  /** Sources without ConfigMaps. */
  public Sources(
      List<ProxyRoute> proxyRoutes,
      List<Service> services,
      List<EndpointSlice> endpointSlices,
      List<Secret> secrets,
      List<TLSCertificateDelegation> delegations,
      List<Ingress> ingresses,
      List<IngressClass> ingressClasses) {
    this(
        proxyRoutes,
        services,
        endpointSlices,
        secrets,
        delegations,
        ingresses,
        ingressClasses,
        List.of());
  }

  /** Sources without Ingresses. */
  public Sources(
      List<ProxyRoute> proxyRoutes,
      List<Service> services,
      List<EndpointSlice> endpointSlices,
      List<Secret> secrets,
      List<TLSCertificateDelegation> delegations) {
    this(proxyRoutes, services, endpointSlices, secrets, delegations, List.of(), List.of());
  }

  /** Sources without certificate delegations. */
  public Sources(
      List<ProxyRoute> proxyRoutes,
      List<Service> services,
      List<EndpointSlice> endpointSlices,
      List<Secret> secrets) {
    this(proxyRoutes, services, endpointSlices, secrets, List.of());
  }

  /** Sources without Secrets. */
  public Sources(
      List<ProxyRoute> proxyRoutes, List<Service> services, List<EndpointSlice> endpointSlices) {
    this(proxyRoutes, services, endpointSlices, List.of());
  }
}
