package dev.gantry.e2e.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.BackendRef;
import dev.gantry.crds.v1alpha1.CertificateDelegation;
import dev.gantry.crds.v1alpha1.ClientValidation;
import dev.gantry.crds.v1alpha1.DirectResponse;
import dev.gantry.crds.v1alpha1.Hsts;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.crds.v1alpha1.TLSCertificateDelegation;
import dev.gantry.crds.v1alpha1.TLSCertificateDelegationSpec;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.e2e.support.SnapshotSubscriber;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsVersion;
import dev.gantry.protocol.v1.VirtualHost;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-host TLS settings, client CAs and cross-namespace certificates from a real kube-apiserver, as
 * the snapshot a dataplane receives carries them: a client CA that is missing keeps its host off
 * TLS until the Secret exists, and a rotated CA ships; a Secret of another namespace is served only
 * while a TLSCertificateDelegation there permits it; a passthrough route becomes a TCP relay. The
 * operator watches every namespace (delegation needs two), so the hostnames are this test's own.
 */
@ExtendWith(KubeApiServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsPolicyIT {
  private static final Path FIXTURES = Path.of("src/test/resources/tls");
  private static final String MTLS = "mtls.example.net";
  private static final String DELEGATED = "delegated.example.net";
  private static final String PASSTHROUGH = "passthrough.example.net";

  private static KubernetesClient client;
  private static String ns;
  private static String certs;
  private static GantryOperator operator;
  private static SnapshotSubscriber snapshots;

  @BeforeAll
  static void start(KubeApiServer api, TestNamespace namespace) throws Exception {
    client = api.client();
    ns = namespace.name();
    certs = (ns.length() > 56 ? ns.substring(0, 56) : ns) + "-certs";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(certs).endMetadata().build())
        .create();
    ProxyRoutes.installCrd(client);
    operator =
        GantryOperator.start(
            OperatorConfig.defaults().withPorts(0, 0).withBindAddress("127.0.0.1"), client);
    snapshots = SnapshotSubscriber.subscribe(operator.grpcPort(), "tls-policy-it");
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
  void aMissingClientCaKeepsItsHostOffTlsRatherThanUnvalidated() {
    client.resource(tlsSecret(ns, "mtls-tls", null)).create();
    client
        .resource(
            route(
                "mtls",
                MTLS,
                new RouteTls(
                    "mtls-tls",
                    null,
                    "1.3",
                    null,
                    new ClientValidation("client-ca", null, true),
                    null,
                    new Hsts("365d", true, null),
                    null)))
        .create();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("mtls", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "SecretNotFound"));
    assertThat(condition("mtls", "ResolvedRefs").getMessage())
        .isEqualTo(
            "Secret "
                + ns
                + "/client-ca (type kubernetes.io/tls) not found"
                + " (clientValidation.caSecretName); "
                + MTLS
                + " is served without TLS rather than without client validation");
    await()
        .untilAsserted(
            () -> {
              assertThat(host(MTLS)).isPresent();
              assertThat(host(MTLS).get().getCertificate()).isEmpty();
              assertThat(host(MTLS).get().hasTlsPolicy()).isFalse();
            });
  }

  @Test
  @Order(2)
  void creatingTheCaSecretShipsTheHostWithItsPolicy() {
    client.resource(tlsSecret(ns, "client-ca", "shop-1.crt")).create();

    await()
        .untilAsserted(
            () -> {
              VirtualHost h = hostIn(MTLS);
              assertThat(h.getCertificate()).isEqualTo(ns + "/mtls-tls");
              assertThat(h.getTlsPolicy().getMinVersion()).isEqualTo(TlsVersion.TLS_VERSION_1_3);
              assertThat(h.getTlsPolicy().getClientValidation().getCaBundle().toByteArray())
                  .isEqualTo(fixture("shop-1.crt"));
              assertThat(h.getTlsPolicy().getClientValidation().getOptional()).isFalse();
              assertThat(h.getTlsPolicy().getClientValidation().getForwardCertificate()).isTrue();
              assertThat(h.getHttpsRedirect()).isTrue();
              assertThat(h.getHsts().getMaxAge().getSeconds()).isEqualTo(365L * 24 * 3600);
              assertThat(h.getHsts().getIncludeSubdomains()).isTrue();
            });
    await()
        .untilAsserted(
            () -> assertThat(condition("mtls", "ResolvedRefs").getStatus()).isEqualTo("True"));
  }

  @Test
  @Order(3)
  void rotatingTheCaSecretShipsTheNewBundle() {
    client
        .secrets()
        .inNamespace(ns)
        .withName("client-ca")
        .edit(s -> tlsSecret(ns, "client-ca", "shop-2.crt"));

    await()
        .untilAsserted(
            () ->
                assertThat(
                        hostIn(MTLS)
                            .getTlsPolicy()
                            .getClientValidation()
                            .getCaBundle()
                            .toByteArray())
                    .isEqualTo(fixture("shop-2.crt")));
    assertThat(host(MTLS).get().getCertificate()).isEqualTo(ns + "/mtls-tls");
  }

  @Test
  @Order(4)
  void aSecretOfAnotherNamespaceNeedsADelegation() {
    client.resource(tlsSecret(certs, "shared-tls", null)).create();
    client.resource(route("delegated", DELEGATED, new RouteTls(certs + "/shared-tls"))).create();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("delegated", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "RefNotPermitted"));
    assertThat(condition("delegated", "ResolvedRefs").getMessage())
        .contains(
            "(expected: a TLSCertificateDelegation in namespace "
                + certs
                + " with secretName shared-tls and targetNamespaces listing "
                + ns
                + " or \"*\")");
    await().untilAsserted(() -> assertThat(hostIn(DELEGATED).getCertificate()).isEmpty());
  }

  @Test
  @Order(5)
  void aDelegationServesTheSecretAndRevokingItStops() {
    TLSCertificateDelegation delegation = new TLSCertificateDelegation();
    delegation.getMetadata().setName("shared");
    delegation.getMetadata().setNamespace(certs);
    delegation.setSpec(
        new TLSCertificateDelegationSpec(
            List.of(new CertificateDelegation("shared-tls", List.of(ns)))));
    client.resource(delegation).create();

    await()
        .untilAsserted(
            () -> assertThat(hostIn(DELEGATED).getCertificate()).isEqualTo(certs + "/shared-tls"));
    await()
        .untilAsserted(
            () -> assertThat(condition("delegated", "ResolvedRefs").getStatus()).isEqualTo("True"));

    client.resource(delegation).delete();

    await().untilAsserted(() -> assertThat(hostIn(DELEGATED).getCertificate()).isEmpty());
    await()
        .untilAsserted(
            () ->
                assertThat(condition("delegated", "ResolvedRefs").getReason())
                    .isEqualTo("RefNotPermitted"));
  }

  @Test
  @Order(6)
  void aPassthroughRouteBecomesATcpRelay() {
    ProxyRoute route = new ProxyRoute();
    route.getMetadata().setName("relay");
    route.getMetadata().setNamespace(ns);
    route.setSpec(
        new ProxyRouteSpec(
            List.of(PASSTHROUGH),
            List.of(
                new Rule(
                    null,
                    List.of(new BackendRef("tls-backend", 443, null, null)),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)),
            RouteTls.passthroughOnly()));
    client.resource(route).create();

    await()
        .untilAsserted(
            () -> {
              VirtualHost h = hostIn(PASSTHROUGH);
              assertThat(h.getTcpProxy().getClustersList())
                  .extracting(c -> c.getCluster())
                  .containsExactly(ns + "/tls-backend:443");
              assertThat(h.getRoutesList()).isEmpty();
              assertThat(h.getCertificate()).isEmpty();
            });
    await()
        .untilAsserted(
            () -> assertThat(condition("relay", "Accepted").getStatus()).isEqualTo("True"));
  }

  private static ProxyRoute route(String name, String host, RouteTls tls) {
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
            tls));
    return route;
  }

  /** A TLS Secret with this test's certificate, and {@code caFixture} under ca.crt if given. */
  private static Secret tlsSecret(String namespace, String name, String caFixture) {
    SecretBuilder b =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withType("kubernetes.io/tls")
            .addToData("tls.crt", Base64.getEncoder().encodeToString(fixture("policy.crt")))
            .addToData("tls.key", Base64.getEncoder().encodeToString(fixture("policy.key")));
    if (caFixture != null) {
      b.addToData("ca.crt", Base64.getEncoder().encodeToString(fixture(caFixture)));
    }
    return b.build();
  }

  private static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(FIXTURES.resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Returns the virtual host {@code name} of the newest snapshot; fails (so awaits retry) if none.
   */
  private static VirtualHost hostIn(String name) {
    assertThat(host(name)).as("virtual host %s in the newest snapshot", name).isPresent();
    return host(name).get();
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
