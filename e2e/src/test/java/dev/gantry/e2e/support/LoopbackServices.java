package dev.gantry.e2e.support;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Services whose endpoints are backends on loopback, as the e2e tests create them. */
public final class LoopbackServices {
  private LoopbackServices() {}

  /**
   * A Service on port 80 and an EndpointSlice sending it to a loopback backend. The API server
   * refuses loopback IPs in EndpointSlices, so the slice names the backend {@code <name>.localhost}
   * (addressType FQDN), which the dataplane resolves to loopback (RFC 6761).
   */
  public static void create(KubernetesClient client, String ns, String name, int backendPort) {
    client
        .services()
        .inNamespace(ns)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("http")
                .withPort(80)
                .withNewTargetPort(backendPort)
                .endPort()
                .endSpec()
                .build())
        .create();
    client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(ns)
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(name + "-1")
                .addToLabels("kubernetes.io/service-name", name)
                .endMetadata()
                .withAddressType("FQDN")
                .addNewPort()
                .withName("http")
                .withPort(backendPort)
                .withProtocol("TCP")
                .endPort()
                .addNewEndpoint()
                .withAddresses(name + ".localhost")
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .endEndpoint()
                .build())
        .create();
  }
}
