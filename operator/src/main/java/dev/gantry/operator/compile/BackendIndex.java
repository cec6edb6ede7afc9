package dev.gantry.operator.compile;

import dev.gantry.operator.ir.Cluster;
import dev.gantry.operator.ir.ClusterPolicy;
import dev.gantry.operator.ir.Endpoint;
import dev.gantry.operator.ir.UpstreamProtocol;
import dev.gantry.operator.ir.UpstreamTlsSettings;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a Service port to a cluster of ready endpoints, through the EndpointSlices labelled with
 * the Service's name. Built once per compile from the observed Services and EndpointSlices.
 */
final class BackendIndex {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  // FQDN endpoints are resolved by the dataplane when it connects.
  private static final Set<String> ADDRESS_TYPES = Set.of("IPv4", "IPv6", "FQDN");

  /** A cluster, and the problem that left it empty when the reference itself is broken. */
  record Resolution(Cluster cluster, Optional<Problem> problem) {}

  private final Map<String, Service> services = new HashMap<>();
  private final Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();

  BackendIndex(List<Service> services, List<EndpointSlice> slices) {
    for (Service s : services) {
      this.services.put(
          key(namespaceOf(s.getMetadata().getNamespace()), s.getMetadata().getName()), s);
    }
    for (EndpointSlice slice : slices) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
      if (service != null) {
        slicesByService
            .computeIfAbsent(
                key(namespaceOf(slice.getMetadata().getNamespace()), service),
                k -> new ArrayList<>())
            .add(slice);
      }
    }
  }

  /**
   * Returns the cluster for {@code namespace/service:port}; never null, possibly without endpoints.
   */
  Resolution resolve(String namespace, String service, int port) {
    String name = Cluster.nameOf(namespace, service, port);
    Service svc = services.get(key(namespace, service));
    if (svc == null) {
      return broken(name, "BackendNotFound", "Service " + namespace + "/" + service + " not found");
    }
    if ("ExternalName".equals(svc.getSpec().getType())) {
      return broken(
          name,
          "UnsupportedProtocol",
          "Service "
              + namespace
              + "/"
              + service
              + " is of type ExternalName, which is not supported yet");
    }
    Optional<ServicePort> servicePort =
        Optional.ofNullable(svc.getSpec().getPorts()).orElse(List.of()).stream()
            .filter(p -> Objects.equals(p.getPort(), port))
            .findFirst();
    if (servicePort.isEmpty()) {
      return broken(
          name, "BackendNotFound", "Service " + namespace + "/" + service + " has no port " + port);
    }
    String portName = Objects.requireNonNullElse(servicePort.get().getName(), "");
    TreeSet<Endpoint> endpoints = new TreeSet<>();
    for (EndpointSlice slice : slicesByService.getOrDefault(key(namespace, service), List.of())) {
      if (!ADDRESS_TYPES.contains(slice.getAddressType())) {
        continue;
      }
      Optional<Integer> target =
          Optional.ofNullable(slice.getPorts()).orElse(List.of()).stream()
              .filter(p -> portName.equals(Objects.requireNonNullElse(p.getName(), "")))
              .map(EndpointPort::getPort)
              .filter(Objects::nonNull)
              .findFirst();
      if (target.isEmpty() || slice.getEndpoints() == null) {
        continue;
      }
      for (var ep : slice.getEndpoints()) {
        // A nil ready condition means "unknown", which the API asks consumers to treat as ready.
        boolean ready =
            ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
        if (ready && ep.getAddresses() != null && !ep.getAddresses().isEmpty()) {
          endpoints.add(new Endpoint(ep.getAddresses().get(0), target.get()));
        }
      }
    }
    String emptyReason =
        endpoints.isEmpty()
            ? "Service " + namespace + "/" + service + " has no ready endpoints"
            : "";
    UpstreamProtocol protocol =
        UpstreamProtocol.fromAppProtocol(servicePort.get().getAppProtocol());
    return new Resolution(
        new Cluster(
            name,
            List.copyOf(endpoints),
            emptyReason,
            ClusterPolicy.DEFAULT,
            protocol,
            protocol.isTls()
                ? Optional.of(UpstreamTlsSettings.defaultFor(namespace, service))
                : Optional.empty()),
        Optional.empty());
  }

  /**
   * Resolves a backend named by its Service port's name (as an Ingress may): through the Service to
   * the port's number, then as {@link #resolve}.
   */
  Resolution resolveNamed(String namespace, String service, String portName) {
    Service svc = services.get(key(namespace, service));
    if (svc == null) {
      return broken(
          namespace + "/" + service + ":" + portName,
          "BackendNotFound",
          "Service " + namespace + "/" + service + " not found");
    }
    Optional<Integer> port =
        Optional.ofNullable(svc.getSpec().getPorts()).orElse(List.of()).stream()
            .filter(p -> portName.equals(p.getName()))
            .map(ServicePort::getPort)
            .filter(Objects::nonNull)
            .findFirst();
    if (port.isEmpty()) {
      return broken(
          namespace + "/" + service + ":" + portName,
          "BackendNotFound",
          "Service " + namespace + "/" + service + " has no port named " + portName);
    }
    return resolve(namespace, service, port.get());
  }

  private static Resolution broken(String cluster, String reason, String message) {
    return new Resolution(
        new Cluster(cluster, List.of(), message), Optional.of(new Problem(reason, message)));
  }

  static String namespaceOf(String namespace) {
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
