package dev.gantry.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.DirectResponse;
import dev.gantry.crds.v1alpha1.IssuerRef;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredCertificateTest {
  private static ProxyRoute route(List<String> hostnames, RouteTls tls) {
    ProxyRoute route = new ProxyRoute();
    route.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName("web").withUid("uid-1").build());
    route.setSpec(
        new ProxyRouteSpec(
            hostnames,
            List.of(
                new Rule(
                    null,
                    null,
                    new DirectResponse(200, "ok\n"),
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

  @Test
  void aRouteWithoutIssuerRefAsksForNoCertificate() {
    assertThat(DesiredCertificate.of(route(List.of("a.example.com"), new RouteTls("a-tls"))))
        .isEmpty();
    assertThat(DesiredCertificate.of(route(List.of("a.example.com"), null))).isEmpty();
  }

  @Test
  void theCertificateIsNamedLikeTheRouteCoversItsHostnamesAndWritesItsSecret() {
    Certificate c =
        DesiredCertificate.of(
                route(
                    List.of("www.example.com", "*.shop.example.com", "www.example.com"),
                    new RouteTls("web-tls", new IssuerRef("letsencrypt", "ClusterIssuer", null))))
            .orElseThrow();

    assertThat(c.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(c.getMetadata().getName()).isEqualTo("web");
    assertThat(c.getSpec().getSecretName()).isEqualTo("web-tls");
    assertThat(c.getSpec().getDnsNames()).containsExactly("*.shop.example.com", "www.example.com");
    assertThat(c.getSpec().getIssuerRef().getName()).isEqualTo("letsencrypt");
    assertThat(c.getSpec().getIssuerRef().getKind()).isEqualTo("ClusterIssuer");
    assertThat(c.getSpec().getIssuerRef().getGroup()).isEqualTo("cert-manager.io");
  }

  @Test
  void anUnsetKindMeansAnIssuerInTheRoutesNamespace() {
    Certificate c =
        DesiredCertificate.of(
                route(
                    List.of("a.example.com"),
                    new RouteTls("a-tls", new IssuerRef("ca", null, null))))
            .orElseThrow();

    assertThat(c.getSpec().getIssuerRef().getKind()).isEqualTo("Issuer");
  }

  @Test
  void theRouteControlsItsCertificateSoThatDeletingTheRouteDeletesIt() {
    ProxyRoute route =
        route(List.of("a.example.com"), new RouteTls("a-tls", new IssuerRef("ca", null, null)));
    Certificate c = DesiredCertificate.of(route).orElseThrow();

    OwnerReference owner = c.getMetadata().getOwnerReferences().getFirst();
    assertThat(owner.getKind()).isEqualTo("ProxyRoute");
    assertThat(owner.getApiVersion()).isEqualTo("gantry.dev/v1alpha1");
    assertThat(owner.getName()).isEqualTo("web");
    assertThat(owner.getUid()).isEqualTo("uid-1");
    assertThat(owner.getController()).isTrue();
    assertThat(DesiredCertificate.isControlledBy(c, route)).isTrue();
  }

  @Test
  void aCertificateMadeByHandIsNotControlledByTheRoute() {
    ProxyRoute route =
        route(List.of("a.example.com"), new RouteTls("a-tls", new IssuerRef("ca", null, null)));
    Certificate byHand =
        new CertificateBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("web")
            .endMetadata()
            .build();

    assertThat(DesiredCertificate.isControlledBy(byHand, route)).isFalse();
  }
}
