package dev.gantry.dataplane.tls;

import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.finish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsVersion;
import dev.gantry.protocol.v1.VirtualHost;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateStoreTest {

  private static final Issued SHOP = TestCertificates.issue("shop/tls", "shop.example.com");
  private static final Issued WILD = TestCertificates.issue("shop/wild", "*.example.com");
  private static final Issued DEEP = TestCertificates.issue("shop/deep", "*.eu.example.com");
  private static final Issued ANY = TestCertificates.issue("shop/any", "any.test");
  private static final Issued FALLBACK = TestCertificates.issue("gantry/default", "fallback.test");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CertificateStore store = new CertificateStore("gantry/default", registry);

  private static VirtualHost host(String name, String certificate, String... domains) {
    return VirtualHost.newBuilder()
        .setName(name)
        .addAllDomains(List.of(domains))
        .addRoutes(direct(name + "/rule-0", "/", 200, name))
        .setCertificate(certificate)
        .build();
  }

  private static Snapshot snapshot(long version, List<VirtualHost> hosts, Issued... certificates) {
    Snapshot.Builder builder = Snapshot.newBuilder().addAllVirtualHosts(hosts);
    for (Issued certificate : certificates) {
      builder.addCertificates(certificate.toProto());
    }
    return finish(builder, version);
  }

  private void applyAll() {
    store.apply(
        snapshot(
            1,
            List.of(
                host("shop", "shop/tls", "shop.example.com"),
                host("wild", "shop/wild", "*.example.com"),
                host("deep", "shop/deep", "*.eu.example.com"),
                host("plain", "", "plain.example.com")),
            DEEP,
            FALLBACK,
            SHOP,
            WILD));
  }

  private SslContext contextOf(String serverName) {
    return store.select(serverName);
  }

  @Test
  void prefersTheExactNameOverAWildcard() {
    applyAll();

    assertThat(contextOf("shop.example.com")).isNotNull().isNotSameAs(contextOf("a.example.com"));
    assertThat(contextOf("SHOP.Example.com.")).isSameAs(contextOf("shop.example.com"));
  }

  @Test
  void aWildcardServesNamesOneLabelBelowIt() {
    applyAll();
    SslContext wild = contextOf("a.example.com");
    SslContext deep = contextOf("a.eu.example.com");

    assertThat(wild).isNotNull().isNotSameAs(contextOf(null));
    assertThat(deep).isNotNull().isNotSameAs(wild).isNotSameAs(contextOf(null));
    assertThat(contextOf("a.b.example.com")).as("two labels down").isSameAs(contextOf(null));
    assertThat(contextOf("b.a.eu.example.com")).isSameAs(contextOf(null));
  }

  @Test
  void servesTheDefaultWhenNoHostWithACertificateMatchesOrNoNameIsSent() {
    applyAll();
    SslContext fallback = contextOf(null);

    assertThat(fallback).isNotNull();
    assertThat(contextOf("example.com")).isSameAs(fallback);
    assertThat(contextOf("plain.example.com"))
        .as("a wildcard host with TLS covers the plain host's name")
        .isSameAs(contextOf("a.example.com"));
    assertThat(contextOf("elsewhere.test")).isSameAs(fallback);
  }

  @Test
  void aCatchAllHostNeverSelectsACertificate() {
    store.apply(
        snapshot(
            1,
            List.of(host("shop", "shop/tls", "shop.example.com"), host("any", "shop/any", "*")),
            ANY,
            FALLBACK,
            SHOP));

    assertThat(contextOf("elsewhere.test")).isSameAs(contextOf(null));
  }

  @Test
  void withoutADefaultAnUnknownNameGetsNoCertificate() {
    CertificateStore noDefault = new CertificateStore("", new SimpleMeterRegistry());
    noDefault.apply(
        snapshot(1, List.of(host("shop", "shop/tls", "shop.example.com")), FALLBACK, SHOP));

    assertThat(noDefault.select("shop.example.com")).isNotNull();
    assertThat(noDefault.select("elsewhere.test")).isNull();
    assertThat(noDefault.select(null)).isNull();
  }

  @Test
  void keepsTheContextOfAnUnchangedCertificateAndRebuildsARotatedOne() {
    applyAll();
    SslContext shop = contextOf("shop.example.com");
    SslContext wild = contextOf("a.example.com");
    Issued rotated = TestCertificates.issue("shop/wild", "*.example.com");

    store.apply(
        snapshot(
            2,
            List.of(
                host("shop", "shop/tls", "shop.example.com"),
                host("wild", "shop/wild", "*.example.com")),
            FALLBACK,
            SHOP,
            rotated));

    assertThat(contextOf("shop.example.com")).isSameAs(shop);
    assertThat(contextOf("a.example.com")).isNotNull().isNotSameAs(wild);
  }

  @Test
  void skipsABrokenCertificateAndCountsItWhileTheOthersServe() {
    Issued broken = WILD.withKeyOf(SHOP);

    store.apply(
        snapshot(
            1,
            List.of(
                host("shop", "shop/tls", "shop.example.com"),
                host("wild", "shop/wild", "*.example.com")),
            FALLBACK,
            SHOP,
            broken));

    assertThat(contextOf("shop.example.com")).isNotNull().isNotSameAs(contextOf(null));
    assertThat(contextOf("a.example.com"))
        .as("falls back to the default")
        .isSameAs(contextOf(null));
    assertThat(registry.get("gantry.dataplane.tls.certificates.invalid").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("gantry.dataplane.tls.certificates").gauge().value()).isEqualTo(2);
  }

  @Test
  void aFixedCertificateServesAgainAndLeavesTheInvalidCount() {
    store.apply(
        snapshot(
            1,
            List.of(host("wild", "shop/wild", "*.example.com")),
            FALLBACK,
            WILD.withKeyOf(SHOP)));

    store.apply(snapshot(2, List.of(host("wild", "shop/wild", "*.example.com")), FALLBACK, WILD));

    assertThat(contextOf("a.example.com")).isNotSameAs(contextOf(null));
    assertThat(registry.get("gantry.dataplane.tls.certificates.invalid").gauge().value()).isZero();
  }

  @Test
  void loadsOnlyTheCertificatesHostsNameAndTheDefault() {
    Issued backendClient = TestCertificates.issue("shop/client", "client.shop");

    store.apply(
        snapshot(
            1,
            List.of(host("shop", "shop/tls", "shop.example.com")),
            backendClient.withKeyOf(SHOP),
            FALLBACK,
            SHOP));

    assertThat(registry.get("gantry.dataplane.tls.certificates").gauge().value()).isEqualTo(2);
    assertThat(registry.get("gantry.dataplane.tls.certificates.invalid").gauge().value())
        .as("a broken certificate nobody serves is not this listener's problem")
        .isZero();
  }

  @Test
  void ticketKeyRotationKeepsEveryContextServing() {
    applyAll();
    SslContext shop = contextOf("shop.example.com");

    store.rotateTicketKeys();

    assertThat(contextOf("shop.example.com")).isSameAs(shop);
  }

  private static VirtualHost withPolicy(VirtualHost host, dev.gantry.protocol.v1.TlsPolicy policy) {
    return host.toBuilder().setTlsPolicy(policy).build();
  }

  private static final dev.gantry.protocol.v1.TlsPolicy TLS13 =
      dev.gantry.protocol.v1.TlsPolicy.newBuilder()
          .setMinVersion(TlsVersion.TLS_VERSION_1_3)
          .build();

  @Test
  void buildsAContextPerCertificateAndPolicyAndKeepsAnUnchangedPair() {
    List<VirtualHost> hosts =
        List.of(
            withPolicy(host("shop", "shop/wild", "shop.example.com"), TLS13),
            withPolicy(host("cart", "shop/wild", "cart.example.com"), TLS13),
            host("blog", "shop/wild", "blog.example.com"),
            withPolicy(
                host("docs", "shop/wild", "docs.example.com"),
                dev.gantry.protocol.v1.TlsPolicy.newBuilder()
                    .setMinVersion(TlsVersion.TLS_VERSION_1_2)
                    .build()));
    store.apply(snapshot(1, hosts, FALLBACK, WILD));
    SslContext modern = contextOf("shop.example.com");
    SslContext plain = contextOf("blog.example.com");

    assertThat(contextOf("cart.example.com")).as("an equal policy").isSameAs(modern);
    assertThat(plain).isNotNull().isNotSameAs(modern);
    assertThat(contextOf("docs.example.com")).as("1.2 is the default").isSameAs(plain);
    assertThat(store.selection("shop.example.com").policy().tls13Only()).isTrue();
    assertThat(store.selection("blog.example.com").policy()).isSameAs(TlsPolicy.DEFAULT);

    store.apply(snapshot(2, hosts.subList(0, 3), FALLBACK, WILD));
    assertThat(contextOf("shop.example.com")).as("unchanged pair").isSameAs(modern);
    assertThat(contextOf("blog.example.com")).isSameAs(plain);

    store.apply(
        snapshot(
            3,
            List.of(host("shop", "shop/wild", "shop.example.com"), hosts.get(2)),
            FALLBACK,
            WILD));
    assertThat(contextOf("shop.example.com")).as("policy dropped").isSameAs(plain);
  }

  @Test
  void aPolicyThatCannotBeBuiltRefusesItsNamesRatherThanFallingBack() {
    VirtualHost broken =
        withPolicy(
            host("shop", "shop/tls", "shop.example.com"),
            dev.gantry.protocol.v1.TlsPolicy.newBuilder()
                .addCipherSuites("TLS_RSA_WITH_NOTHING")
                .build());
    store.apply(
        snapshot(
            1, List.of(broken, host("wild", "shop/wild", "*.example.com")), FALLBACK, SHOP, WILD));

    assertThat(store.selection("shop.example.com").refused()).isTrue();
    assertThat(store.selection("shop.example.com").host()).isEqualTo("shop");
    assertThat(contextOf("a.example.com")).isNotNull();
    assertThat(registry.get("gantry.dataplane.tls.policies.invalid").gauge().value()).isEqualTo(1);
    assertThat(registry.get("gantry.dataplane.tls.certificates.invalid").gauge().value())
        .as("the certificate is fine")
        .isZero();
  }
}
