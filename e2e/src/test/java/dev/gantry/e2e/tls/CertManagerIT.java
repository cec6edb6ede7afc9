package dev.gantry.e2e.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.DirectResponse;
import dev.gantry.crds.v1alpha1.IssuerRef;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.CertManagerCrds;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.e2e.support.SnapshotSubscriber;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsCertificate;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routes with {@code spec.tls.issuerRef} against a real kube-apiserver with cert-manager's
 * Certificate CRD (generated from fabric8's model) and no cert-manager running: the test plays
 * cert-manager by writing the Secret. First the operator runs without the CRD, then with it.
 */
@ExtendWith(KubeApiServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertManagerIT {
  private static final Path FIXTURES = Path.of("src/test/resources/tls");

  private static KubernetesClient client;
  private static String ns;
  private static GantryOperator operator;
  private static SnapshotSubscriber snapshots;

  @BeforeAll
  static void start(KubeApiServer api, TestNamespace namespace) throws Exception {
    client = api.client();
    ns = namespace.name();
    ProxyRoutes.installCrd(client);
    CertManagerCrds.uninstall(client);
    await()
        .until(
            () ->
                client
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(CertManagerCrds.CERTIFICATES)
                        .get()
                    == null);
    operator = startOperator();
  }

  @AfterAll
  static void stop() throws Exception {
    if (snapshots != null) {
      snapshots.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      CertManagerCrds.uninstall(client);
    }
  }

  @Test
  @Order(1)
  void withoutCertManagerARouteWithAnIssuerSaysSoAndTheOperatorServesTheRest() {
    client.resource(route("early", List.of("early.example.com"), "early-tls")).create();
    client.resource(plainRoute("plain", "plain.example.com")).create();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("early", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "CertManagerNotInstalled"));
    assertThat(condition("early", "ResolvedRefs").getMessage())
        .startsWith("spec.tls.issuerRef needs cert-manager, which is not installed");
    await()
        .untilAsserted(
            () -> assertThat(condition("plain", "ResolvedRefs").getStatus()).isEqualTo("True"));
    await()
        .untilAsserted(
            () ->
                assertThat(snapshots.latest().getVirtualHostsList())
                    .anyMatch(v -> v.getName().equals("plain.example.com")));
  }

  @Test
  @Order(2)
  void withCertManagerARouteGetsACertificateItControls() throws Exception {
    CertManagerCrds.install(client);
    restartOperator();
    client
        .resource(route("shop", List.of("shop.example.com", "www.shop.example.com"), "shop-tls"))
        .create();
    String uid =
        client
            .resources(ProxyRoute.class)
            .inNamespace(ns)
            .withName("shop")
            .get()
            .getMetadata()
            .getUid();

    await().untilAsserted(() -> assertThat(certificate("shop")).isNotNull());
    Certificate c = certificate("shop");
    assertThat(c.getSpec().getSecretName()).isEqualTo("shop-tls");
    assertThat(c.getSpec().getDnsNames())
        .containsExactly("shop.example.com", "www.shop.example.com");
    assertThat(c.getSpec().getIssuerRef().getName()).isEqualTo("letsencrypt");
    assertThat(c.getSpec().getIssuerRef().getKind()).isEqualTo("ClusterIssuer");
    assertThat(c.getSpec().getIssuerRef().getGroup()).isEqualTo("cert-manager.io");
    OwnerReference owner = c.getMetadata().getOwnerReferences().getFirst();
    assertThat(owner)
        .extracting(OwnerReference::getKind, OwnerReference::getUid, OwnerReference::getController)
        .containsExactly("ProxyRoute", uid, true);
    // The route that reported cert-manager missing now has its Certificate too.
    await().untilAsserted(() -> assertThat(certificate("early")).isNotNull());
  }

  @Test
  @Order(3)
  void untilTheSecretExistsTheRouteSaysItsCertificateIsPending() {
    await()
        .untilAsserted(
            () ->
                assertThat(condition("shop", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "CertificatePending"));
    assertThat(condition("shop", "ResolvedRefs").getMessage())
        .startsWith("Certificate shop is not ready: cert-manager has not reported on it yet;")
        .contains("Secret " + ns + "/shop-tls (type kubernetes.io/tls) not found");
    assertThat(host("shop.example.com"))
        .hasValueSatisfying(v -> assertThat(v.getCertificate()).isEmpty());
  }

  @Test
  @Order(4)
  void certManagersReadyMessageShowsOnTheRoute() {
    Certificate c = certificate("shop");
    c.setStatus(
        new io.fabric8.certmanager.api.model.v1.CertificateStatusBuilder()
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .withReason("DoesNotExist")
            .withMessage("Issuing certificate as Secret does not exist")
            .endCondition()
            .build());
    client.resource(c).updateStatus();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("shop", "ResolvedRefs").getMessage())
                    .startsWith(
                        "Certificate shop is not ready: Issuing certificate as Secret does not"
                            + " exist;"));
  }

  @Test
  @Order(5)
  void changingTheHostnamesUpdatesTheCertificate() {
    client
        .resources(ProxyRoute.class)
        .inNamespace(ns)
        .withName("shop")
        .edit(r -> route("shop", List.of("shop.example.com"), "shop-tls"));

    await()
        .untilAsserted(
            () ->
                assertThat(certificate("shop").getSpec().getDnsNames())
                    .containsExactly("shop.example.com"));
  }

  @Test
  @Order(6)
  void theSecretCertManagerWritesIsShippedAndTheRouteResolves() {
    client.resource(tlsSecret("shop-tls", "shop-1")).create();

    await()
        .untilAsserted(
            () -> {
              assertThat(certificates()).containsKey(ns + "/shop-tls");
              assertThat(certificates().get(ns + "/shop-tls").getCertificateChain().toByteArray())
                  .isEqualTo(fixture("shop-1.crt"));
              assertThat(host("shop.example.com").orElseThrow().getCertificate())
                  .isEqualTo(ns + "/shop-tls");
            });
    await()
        .untilAsserted(
            () ->
                assertThat(condition("shop", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("True", "ResolvedRefs"));
  }

  @Test
  @Order(7)
  void aCertificateMadeByHandIsLeftAloneAndReported() {
    client
        .resource(
            new CertificateBuilder()
                .withNewMetadata()
                .withName("mine")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withSecretName("somewhere-else")
                .withDnsNames("other.example.com")
                .withNewIssuerRef()
                .withName("my-issuer")
                .endIssuerRef()
                .endSpec()
                .build())
        .create();
    client.resource(route("mine", List.of("mine.example.com"), "mine-tls")).create();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("mine", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "CertificateNotOwned"));
    assertThat(certificate("mine").getSpec().getSecretName()).isEqualTo("somewhere-else");
    assertThat(certificate("mine").getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  @Order(8)
  void removingTheIssuerDeletesTheCertificate() {
    await().untilAsserted(() -> assertThat(certificate("early")).isNotNull());
    client
        .resources(ProxyRoute.class)
        .inNamespace(ns)
        .withName("early")
        .edit(
            r -> {
              r.setSpec(
                  new ProxyRouteSpec(
                      r.getSpec().hostnames(), r.getSpec().rules(), new RouteTls("early-tls")));
              return r;
            });

    await().untilAsserted(() -> assertThat(certificate("early")).isNull());
    await()
        .untilAsserted(
            () ->
                assertThat(condition("early", "ResolvedRefs").getReason())
                    .isEqualTo("SecretNotFound"));
  }

  @Test
  @Order(9)
  void deletingTheHandMadeCertificateLetsTheRouteMakeItsOwn() {
    client.resources(Certificate.class).inNamespace(ns).withName("mine").delete();

    await()
        .untilAsserted(
            () -> {
              Certificate c = certificate("mine");
              assertThat(c).isNotNull();
              assertThat(c.getSpec().getSecretName()).isEqualTo("mine-tls");
              assertThat(c.getMetadata().getOwnerReferences()).hasSize(1);
            });
    await()
        .untilAsserted(
            () ->
                assertThat(condition("mine", "ResolvedRefs").getReason())
                    .isEqualTo("CertificatePending"));
  }

  private static GantryOperator startOperator() throws Exception {
    GantryOperator started =
        GantryOperator.start(
            OperatorConfig.defaults()
                .withPorts(0, 0)
                .withBindAddress("127.0.0.1")
                .withWatchNamespace(Optional.of(ns)),
            client);
    snapshots = SnapshotSubscriber.subscribe(started.grpcPort(), "certmanager-it");
    return started;
  }

  /** A new operator, as after a restart: cert-manager is detected at start. */
  private static void restartOperator() throws Exception {
    snapshots.close();
    operator.close();
    operator = startOperator();
  }

  private static ProxyRoute route(String name, List<String> hosts, String secret) {
    ProxyRoute route = plainRoute(name, hosts.getFirst());
    route.setSpec(
        new ProxyRouteSpec(
            hosts,
            route.getSpec().rules(),
            new RouteTls(secret, new IssuerRef("letsencrypt", "ClusterIssuer", null))));
    return route;
  }

  private static ProxyRoute plainRoute(String name, String host) {
    ProxyRoute route = new ProxyRoute();
    route.getMetadata().setName(name);
    route.getMetadata().setNamespace(ns);
    route.setSpec(
        new ProxyRouteSpec(
            List.of(host),
            List.of(
                new Rule(
                    null,
                    null,
                    new DirectResponse(200, name + "\n"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))));
    return route;
  }

  private static Certificate certificate(String name) {
    return client.resources(Certificate.class).inNamespace(ns).withName(name).get();
  }

  private static Secret tlsSecret(String name, String fixture) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", Base64.getEncoder().encodeToString(fixture(fixture + ".crt")))
        .addToData("tls.key", Base64.getEncoder().encodeToString(fixture(fixture + ".key")))
        .build();
  }

  private static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(FIXTURES.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, TlsCertificate> certificates() {
    Snapshot s = snapshots.latest();
    return s == null
        ? Map.of()
        : s.getCertificatesList().stream()
            .collect(Collectors.toMap(TlsCertificate::getName, c -> c));
  }

  private static Optional<dev.gantry.protocol.v1.VirtualHost> host(String name) {
    Snapshot s = snapshots.latest();
    return s == null
        ? Optional.empty()
        : s.getVirtualHostsList().stream().filter(v -> v.getName().equals(name)).findFirst();
  }

  private static Condition condition(String route, String type) {
    ProxyRoute r = client.resources(ProxyRoute.class).inNamespace(ns).withName(route).get();
    if (r.getStatus() == null || r.getStatus().conditions() == null) {
      return new Condition();
    }
    return r.getStatus().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(new Condition());
  }
}
