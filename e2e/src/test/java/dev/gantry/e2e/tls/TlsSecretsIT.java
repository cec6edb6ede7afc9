package dev.gantry.e2e.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.DirectResponse;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.e2e.support.SnapshotSubscriber;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsCertificate;
import dev.gantry.protocol.v1.VirtualHost;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * TLS certificates from Secrets in a real kube-apiserver reach the snapshot a dataplane receives: a
 * route naming a missing Secret says so in its status and is served without TLS; creating the
 * Secret, then rotating it, ships each certificate in turn. The dataplane here is a stream client
 * that ACKs every snapshot and keeps the newest, so the test can read the certificates it got.
 */
@ExtendWith(KubeApiServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsSecretsIT {
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
    operator =
        GantryOperator.start(
            OperatorConfig.defaults()
                .withPorts(0, 0)
                .withBindAddress("127.0.0.1")
                .withWatchNamespace(Optional.of(ns))
                .withDefaultCertificate(Optional.of(ns + "/fallback")),
            client);
    snapshots = SnapshotSubscriber.subscribe(operator.grpcPort(), "tls-it");
  }

  @AfterAll
  static void stop() throws Exception {
    if (snapshots != null) {
      snapshots.close();
    }
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  @Order(1)
  void aMissingSecretShowsOnTheRouteAndItsHostIsServedWithoutTls() {
    client.resource(route("shop", "shop.example.com", "shop-tls")).create();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("shop", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "SecretNotFound"));
    assertThat(condition("shop", "ResolvedRefs").getMessage())
        .isEqualTo(
            "Secret "
                + ns
                + "/shop-tls (type kubernetes.io/tls) not found; shop.example.com is served"
                + " without TLS");
    assertThat(condition("shop", "Accepted").getStatus()).isEqualTo("True");
    await()
        .untilAsserted(
            () -> {
              assertThat(host("shop.example.com")).isPresent();
              assertThat(host("shop.example.com").get().getCertificate()).isEmpty();
            });
    assertThat(certificates()).isEmpty();
    await()
        .untilAsserted(
            () -> assertThat(condition("shop", "Programmed").getStatus()).isEqualTo("True"));
  }

  @Test
  @Order(2)
  void creatingTheSecretShipsItsCertificateToTheDataplane() throws Exception {
    client.resource(tlsSecret("shop-tls", "shop-1")).create();

    await()
        .untilAsserted(
            () -> {
              assertThat(certificates()).containsOnlyKeys(ns + "/shop-tls");
              assertThat(certificates().get(ns + "/shop-tls").getCertificateChain().toByteArray())
                  .isEqualTo(fixture("shop-1.crt"));
              assertThat(certificates().get(ns + "/shop-tls").getPrivateKey().toByteArray())
                  .isEqualTo(fixture("shop-1.key"));
            });
    assertThat(host("shop.example.com").get().getCertificate()).isEqualTo(ns + "/shop-tls");
    await()
        .untilAsserted(
            () ->
                assertThat(condition("shop", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("True", "ResolvedRefs"));
  }

  @Test
  @Order(3)
  void rotatingTheSecretShipsTheNewCertificateInANewSnapshot() throws Exception {
    String before = snapshots.latest().getDigest();
    client
        .secrets()
        .inNamespace(ns)
        .withName("shop-tls")
        .edit(s -> tlsSecret("shop-tls", "shop-2"));

    await()
        .untilAsserted(
            () ->
                assertThat(certificates().get(ns + "/shop-tls").getCertificateChain().toByteArray())
                    .isEqualTo(fixture("shop-2.crt")));
    assertThat(snapshots.latest().getDigest()).isNotEqualTo(before);
    assertThat(host("shop.example.com").get().getCertificate()).isEqualTo(ns + "/shop-tls");
  }

  @Test
  @Order(4)
  void theDefaultCertificateIsShippedOnceItsSecretExists() throws Exception {
    client.resource(tlsSecret("fallback", "fallback")).create();

    await()
        .untilAsserted(
            () -> assertThat(certificates()).containsOnlyKeys(ns + "/fallback", ns + "/shop-tls"));
    assertThat(certificates().get(ns + "/fallback").getPrivateKey().toByteArray())
        .isEqualTo(fixture("fallback.key"));
  }

  @Test
  @Order(5)
  void aSecretThatIsNotOfTypeTlsIsNotWatchedAndSoNotFound() {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("opaque")
                .withNamespace(ns)
                .endMetadata()
                .addToStringData("tls.crt", "not for the operator's eyes")
                .build())
        .create();
    client.resource(route("opaque", "opaque.example.com", "opaque")).create();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("opaque", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "SecretNotFound"));
    assertThat(host("shop.example.com").get().getCertificate()).isEqualTo(ns + "/shop-tls");
  }

  private static ProxyRoute route(String name, String host, String secret) {
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
                    null)),
            new RouteTls(secret)));
    return route;
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
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, TlsCertificate> certificates() {
    Snapshot s = snapshots.latest();
    return s == null
        ? Map.of()
        : s.getCertificatesList().stream()
            .collect(Collectors.toMap(TlsCertificate::getName, c -> c));
  }

  private static Optional<VirtualHost> host(String name) {
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
