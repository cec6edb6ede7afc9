package dev.gantry.e2e.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.HttpConnection;
import dev.gantry.e2e.support.LoopbackBackend;
import dev.gantry.e2e.support.LoopbackServices;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.e2e.support.RunningGantry;
import dev.gantry.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingresses on a real kube-apiserver: which are Gantry's (IngressClass, the legacy annotation),
 * served through a dataplane; status.loadBalancer written; problems as Events on the Ingress; an
 * Ingress losing a path to an older ProxyRoute.
 */
@ExtendWith(KubeApiServerExtension.class)
class IngressIT {
  private static KubernetesClient client;
  private static String ns;
  private static String gantryClass;
  private static LoopbackBackend web;
  private static RunningGantry gantry;

  @BeforeAll
  static void start(KubeApiServer api, TestNamespace namespace) throws Exception {
    client = api.client();
    ns = namespace.name();
    gantryClass = "gantry-" + ns; // IngressClasses are cluster-wide: one per test class
    ProxyRoutes.installCrd(client);
    web = new LoopbackBackend("web");
    LoopbackServices.create(client, ns, "web", web.port());
    apply(
        """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: %s}
        spec: {controller: gantry.dev/ingress-controller}
        """
            .formatted(gantryClass));
    apply(
        """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: other-%s}
        spec: {controller: example.com/another-controller}
        """
            .formatted(ns));
    gantry =
        RunningGantry.start(
            client,
            OperatorConfig.defaults()
                .withWatchNamespace(Optional.of(ns))
                .withLeaderElection(
                    Optional.of(new OperatorConfig.Lease("gantry-operator", ns, "ingress")))
                .withPublish(
                    new OperatorConfig.Publish(
                        List.of("203.0.113.10", "lb.example.net"), Optional.empty())),
            "ingress-dataplane");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gantry != null) {
      gantry.close();
    }
    if (web != null) {
      web.close();
    }
    client.network().v1().ingressClasses().withName(gantryClass).delete();
    client.network().v1().ingressClasses().withName("other-" + ns).delete();
  }

  private static void apply(String yaml) {
    GenericKubernetesResource object =
        Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    if (object.getKind().equals("IngressClass")) {
      client.resource(object).create();
    } else {
      client.resource(object).inNamespace(ns).create();
    }
  }

  /** An Ingress of one rule, {@code host} / to {@code service}:80, of class {@code className}. */
  private static String ingress(String name, String className, String host, String service) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: %s}
        spec:
          ingressClassName: %s
          rules:
            - host: %s
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """
        .formatted(name, className, host, service);
  }

  private static HttpConnection.Response get(String host, String path) throws Exception {
    return gantry.get(host, path);
  }

  private static List<Event> warnings(String ingress) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> ingress.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Ingress".equals(e.getInvolvedObject().getKind()))
        .filter(e -> "Warning".equals(e.getType()))
        .toList();
  }

  @Test
  void anIngressOfGantrysClassIsServedAndPublishesTheAddresses() throws Exception {
    String host = "served." + ns + ".test";
    apply(ingress("served", gantryClass, host, "web"));

    await().untilAsserted(() -> assertThat(get(host, "/shop").body()).isEqualTo("web /shop\n"));
    await()
        .untilAsserted(
            () -> {
              Ingress i =
                  client.network().v1().ingresses().inNamespace(ns).withName("served").get();
              assertThat(i.getStatus().getLoadBalancer().getIngress())
                  .extracting(lb -> lb.getIp() != null ? lb.getIp() : lb.getHostname())
                  .containsExactly("203.0.113.10", "lb.example.net");
            });
  }

  @Test
  void theLegacyAnnotationNamesTheClassAndOtherClassesAreLeftAlone() throws Exception {
    String legacy = "legacy." + ns + ".test";
    String foreign = "foreign." + ns + ".test";
    apply(
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: legacy
          annotations: {kubernetes.io/ingress.class: %s}
        spec:
          rules:
            - host: %s
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """
            .formatted(gantryClass, legacy));
    apply(ingress("foreign", "other-" + ns, foreign, "web"));

    await().untilAsserted(() -> assertThat(get(legacy, "/").body()).isEqualTo("web /\n"));
    assertThat(get(foreign, "/").status()).isEqualTo(404);
    Ingress untouched = client.network().v1().ingresses().inNamespace(ns).withName("foreign").get();
    assertThat(
            untouched.getStatus() == null
                || untouched.getStatus().getLoadBalancer() == null
                || untouched.getStatus().getLoadBalancer().getIngress() == null
                || untouched.getStatus().getLoadBalancer().getIngress().isEmpty())
        .as("another controller's Ingress keeps the status it has")
        .isTrue();
    assertThat(warnings("foreign")).isEmpty();
  }

  @Test
  void aMissingServiceIsAWarningEventAndItsPathAnswers503() throws Exception {
    String host = "missing." + ns + ".test";
    apply(ingress("missing", gantryClass, host, "nothere"));

    await()
        .untilAsserted(
            () ->
                assertThat(warnings("missing"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("BackendNotFound");
                          assertThat(e.getMessage())
                              .contains("Service " + ns + "/nothere not found");
                        }));
    await().untilAsserted(() -> assertThat(get(host, "/").status()).isEqualTo(503));
  }

  @Test
  void anIngressLosingAPathToAnOlderProxyRouteSaysSo() throws Exception {
    String host = "shared." + ns + ".test";
    apply(
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: first}
        spec:
          hostnames: [%s]
          rules:
            - directResponse: {status: 200, body: "the ProxyRoute\\n"}
        """
            .formatted(host));
    await().untilAsserted(() -> assertThat(get(host, "/").body()).isEqualTo("the ProxyRoute\n"));
    apply(ingress("second", gantryClass, host, "web"));

    await()
        .untilAsserted(
            () ->
                assertThat(warnings("second"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("Conflict");
                          assertThat(e.getMessage())
                              .contains("already served by the older ProxyRoute " + ns + "/first");
                        }));
    assertThat(get(host, "/").body()).isEqualTo("the ProxyRoute\n");
  }
}
