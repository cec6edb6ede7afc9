package dev.gantry.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.crds.v1alpha1.DirectResponse;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.operator.compile.TestCertificates.Issued;
import dev.gantry.operator.ir.TlsCertificate;
import dev.gantry.operator.ir.VirtualHost;
import dev.gantry.operator.translate.SnapshotTranslator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteCompilerTlsTest {
  private static final Issued SHOP =
      TestCertificates.selfSigned(TestCertificates.ec("secp256r1"), "shop.example.com");
  private static final Issued FALLBACK =
      TestCertificates.selfSigned(TestCertificates.rsa(), "fallback.example.com");

  @Test
  void shipsTheDefaultCertificateThoughNoHostNamesIt() {
    CompileResult result =
        compiler(Optional.of("gantry/fallback"))
            .compile(sources(List.of(), List.of(secret("gantry", "fallback", FALLBACK))));

    assertThat(result.graph().certificates())
        .extracting(TlsCertificate::name)
        .containsExactly("gantry/fallback");
    assertThat(result.graph().certificates().getFirst().certificateChain())
        .isEqualTo(FALLBACK.certificatePem());
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void shipsACertificateOnceWhenItIsBothTheDefaultAndARoutes() {
    CompileResult result =
        compiler(Optional.of("default/shop-tls"))
            .compile(
                sources(
                    List.of(route("shop", "shop.example.com", "shop-tls")),
                    List.of(secret("default", "shop-tls", SHOP))));

    assertThat(result.graph().certificates())
        .extracting(TlsCertificate::name)
        .containsExactly("default/shop-tls");
    assertThat(result.graph().virtualHosts())
        .extracting(VirtualHost::certificate)
        .containsExactly(Optional.of("default/shop-tls"));
  }

  @Test
  void reportsAMissingDefaultCertificateWithoutFailingTheCompile() {
    CompileResult result =
        compiler(Optional.of("gantry/nothere"))
            .compile(
                sources(
                    List.of(route("shop", "shop.example.com", "shop-tls")),
                    List.of(secret("default", "shop-tls", SHOP))));

    assertThat(result.problems())
        .containsExactly(
            new Problem(
                "SecretNotFound",
                "default certificate: Secret gantry/nothere (type kubernetes.io/tls) not found;"
                    + " handshakes for hosts without a certificate fail"));
    assertThat(result.graph().certificates())
        .extracting(TlsCertificate::name)
        .containsExactly("default/shop-tls");
  }

  @Test
  void aRotatedSecretChangesTheDigest() {
    RouteCompiler compiler = compiler(Optional.empty());
    List<ProxyRoute> routes = List.of(route("shop", "shop.example.com", "shop-tls"));
    String before =
        SnapshotTranslator.translate(
                compiler
                    .compile(sources(routes, List.of(secret("default", "shop-tls", SHOP))))
                    .graph())
            .getDigest();
    Issued rotated =
        TestCertificates.selfSigned(TestCertificates.ec("secp256r1"), "shop.example.com");
    String after =
        SnapshotTranslator.translate(
                compiler
                    .compile(sources(routes, List.of(secret("default", "shop-tls", rotated))))
                    .graph())
            .getDigest();

    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void aSecretThatTurnsBadTakesTlsOffItsHostsOnly() {
    RouteCompiler compiler = compiler(Optional.empty());
    List<ProxyRoute> routes =
        List.of(
            route("shop", "shop.example.com", "shop-tls"),
            route("other", "other.example.com", "other-tls"));
    Issued other = TestCertificates.selfSigned(TestCertificates.rsa(), "other.example.com");
    Secret broken =
        new SecretBuilder(secret("default", "shop-tls", SHOP))
            .addToData("tls.key", Base64.getEncoder().encodeToString(FALLBACK.pkcs8KeyPem()))
            .build();

    CompileResult result =
        compiler.compile(sources(routes, List.of(broken, secret("default", "other-tls", other))));

    assertThat(result.graph().virtualHosts())
        .extracting(VirtualHost::host, VirtualHost::certificate)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "other.example.com", Optional.of("default/other-tls")),
            org.assertj.core.groups.Tuple.tuple("shop.example.com", Optional.empty()));
    assertThat(result.graph().virtualHosts()).allMatch(vh -> vh.routes().size() == 1);
    assertThat(result.report(new dev.gantry.operator.ir.ObjectRef("ProxyRoute", "default", "shop")))
        .get()
        .satisfies(
            r -> {
              assertThat(r.isAccepted()).isTrue();
              assertThat(r.unresolvedRefs())
                  .extracting(Problem::reason)
                  .containsExactly("InvalidCertificate");
            });
  }

  @Test
  void refusesADefaultCertificateThatIsNotNamespaceSlashName() {
    assertThatThrownBy(() -> compiler(Optional.of("fallback")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("default certificate: fallback (expected: NAMESPACE/SECRET)");
  }

  private static RouteCompiler compiler(Optional<String> defaultCertificate) {
    return new RouteCompiler(Clock.systemUTC(), defaultCertificate);
  }

  private static Sources sources(List<ProxyRoute> routes, List<Secret> secrets) {
    return new Sources(routes, List.of(), List.of(), secrets);
  }

  private static Secret secret(String namespace, String name, Issued issued) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", Base64.getEncoder().encodeToString(issued.certificatePem()))
        .addToData("tls.key", Base64.getEncoder().encodeToString(issued.traditionalKeyPem()))
        .build();
  }

  private static ProxyRoute route(String name, String host, String secretName) {
    ProxyRoute route = new ProxyRoute();
    route.getMetadata().setNamespace("default");
    route.getMetadata().setName(name);
    route.setSpec(
        new ProxyRouteSpec(
            List.of(host),
            List.of(
                new Rule(
                    null,
                    null,
                    new DirectResponse(200, name),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)),
            new RouteTls(secretName)));
    return route;
  }
}
