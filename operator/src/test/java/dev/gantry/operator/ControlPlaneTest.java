package dev.gantry.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.DirectResponse;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.operator.compile.Sources;
import dev.gantry.operator.compile.TestCertificates;
import dev.gantry.operator.snapshot.SnapshotStore;
import dev.gantry.protocol.v1.Snapshot;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPlaneTest {

  @Test
  void dropsACertificateWhenItExpiresThoughNothingElseChanges() {
    var keys = TestCertificates.ec("secp256r1");
    Instant now = Instant.now();
    TestCertificates.Issued shortLived =
        TestCertificates.issue(
            keys,
            keys,
            "CN=shop.example.com",
            "CN=shop.example.com",
            now.minusSeconds(60),
            now.plusSeconds(2),
            "shop.example.com");
    try (ControlPlane plane =
        new ControlPlane(
            Duration.ofMillis(10), Duration.ofMillis(100), new SimpleMeterRegistry())) {
      plane
          .sources()
          .replaceAll(
              new Sources(List.of(route()), List.of(), List.of(), List.of(secret(shortLived))));
      plane.sources().markSynced();

      await()
          .ignoreExceptions() // until the first snapshot is published
          .untilAsserted(
              () ->
                  assertThat(snapshot(plane).getVirtualHosts(0).getCertificate())
                      .isEqualTo("default/shop-tls"));
      await()
          .untilAsserted(
              () -> {
                assertThat(snapshot(plane).getCertificatesList()).isEmpty();
                assertThat(snapshot(plane).getVirtualHosts(0).getCertificate()).isEmpty();
              });
      assertThat(
              plane
                  .store()
                  .current()
                  .orElseThrow()
                  .result()
                  .reports()
                  .values()
                  .iterator()
                  .next()
                  .unresolvedRefs()
                  .getFirst()
                  .message())
          .contains("the certificate expired at");
    }
  }

  private static Snapshot snapshot(ControlPlane plane) {
    return plane.store().current().map(SnapshotStore.Published::snapshot).orElseThrow();
  }

  private static Secret secret(TestCertificates.Issued issued) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName("shop-tls")
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", Base64.getEncoder().encodeToString(issued.certificatePem()))
        .addToData("tls.key", Base64.getEncoder().encodeToString(issued.pkcs8KeyPem()))
        .build();
  }

  private static ProxyRoute route() {
    ProxyRoute route = new ProxyRoute();
    route.getMetadata().setNamespace("default");
    route.getMetadata().setName("shop");
    route.setSpec(
        new ProxyRouteSpec(
            List.of("shop.example.com"),
            List.of(
                new Rule(
                    null,
                    null,
                    new DirectResponse(200, "shop\n"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)),
            new RouteTls("shop-tls")));
    return route;
  }
}
