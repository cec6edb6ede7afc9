package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Commands.installed;
import static dev.gantry.dataplane.testing.Commands.run;
import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.withCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.dataplane.testing.Commands.Run;
import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsCertificate;
import dev.gantry.protocol.v1.VirtualHost;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener with real clients on loopback — JDK sockets and HttpClient, and {@code openssl
 * s_client} and {@code curl} where installed — in front of a real backend: the certificate served
 * per server name, ALPN to HTTP/1.1 and h2, what the backend sees, and certificates changing under
 * open connections.
 */
class TlsIT {

  private static final Issued SHOP = TestCertificates.issue("shop/tls", "shop.example.com");
  private static final Issued WILD =
      TestCertificates.issue("shop/wild", TestCertificates.KeyFormat.RSA_PKCS1, "*.example.com");
  private static final Issued FALLBACK =
      TestCertificates.issue(
          "gantry/default", TestCertificates.KeyFormat.EC_PKCS8, "fallback.test");

  private final TestBackend backend = TestBackend.start("a");
  private DataplaneFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
    backend.close();
  }

  private void start(boolean withDefault) {
    fixture =
        DataplaneFixture.start(
            config -> {
              DataplaneConfig tls = config.withHttps(DataplaneConfig.Listener.loopback(0));
              return withDefault ? tls.withDefaultCertificate(FALLBACK.name()) : tls;
            });
  }

  private Snapshot tlsSnapshot(long version, Issued... certificates) {
    List<TlsCertificate> carried = new ArrayList<>();
    for (Issued certificate : certificates) {
      carried.add(certificate.toProto());
    }
    List<VirtualHost> hosts =
        List.of(
            withCertificate(
                host("shop", List.of("shop.example.com"), prefix("shop", "/", "backend")),
                "shop/tls"),
            withCertificate(
                host("wild", List.of("*.example.com"), prefix("wild", "/", "backend")),
                "shop/wild"),
            withCertificate(
                host("local", List.of("127.0.0.1"), prefix("local", "/", "backend")),
                "gantry/default"),
            host("plain", List.of("plain.test"), prefix("plain", "/", "backend")));
    return snapshot(version, hosts, List.of(cluster("backend", backend.address())), carried);
  }

  private int port() {
    return fixture.dataplane.httpsPort();
  }

  @Test
  void servesTheCertificateOfTheHostTheServerNameNames() throws IOException {
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));

    try (SSLSocket exact = TlsClients.connect(port(), "shop.example.com");
        SSLSocket wildcard = TlsClients.connect(port(), "a.example.com");
        SSLSocket apex = TlsClients.connect(port(), "example.com");
        SSLSocket deeper = TlsClients.connect(port(), "a.b.example.com");
        SSLSocket noName = TlsClients.connect(port(), null)) {
      assertThat(TlsClients.served(exact)).isEqualTo(SHOP.certificate());
      assertThat(TlsClients.served(wildcard)).isEqualTo(WILD.certificate());
      assertThat(TlsClients.served(apex))
          .as("*.example.com does not cover example.com")
          .isEqualTo(FALLBACK.certificate());
      assertThat(TlsClients.served(deeper))
          .as("nor a.b.example.com")
          .isEqualTo(FALLBACK.certificate());
      assertThat(TlsClients.served(noName)).isEqualTo(FALLBACK.certificate());
      assertThat(exact.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
  }

  @Test
  void withoutADefaultCertificateAnUnknownServerNameFailsTheHandshake() throws IOException {
    start(false);
    fixture.apply(tlsSnapshot(1, SHOP, WILD));

    assertThatThrownBy(() -> TlsClients.connect(port(), "elsewhere.test").close())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("unrecognized_name");
    assertThatThrownBy(() -> TlsClients.connect(port(), null).close())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("unrecognized_name");
    try (SSLSocket exact = TlsClients.connect(port(), "shop.example.com")) {
      assertThat(TlsClients.served(exact)).isEqualTo(SHOP.certificate());
    }
    assertThat(fixture.admin("/metrics").body())
        .contains("gantry_dataplane_tls_unknown_server_names_total 2.0");
  }

  @Test
  void http11ByAlpnReachesTheBackendWithForwardedProtoHttps() throws IOException {
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));

    try (SSLSocket offeringBoth =
        TlsClients.connect(port(), "shop.example.com", "h2", "http/1.1")) {
      assertThat(offeringBoth.getApplicationProtocol()).as("h2 preferred").isEqualTo("h2");
    }
    try (SSLSocket socket = TlsClients.connect(port(), "shop.example.com", "http/1.1");
        RawHttp http = RawHttp.over(socket)) {
      assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
      RawHttp.Response response = http.get("shop.example.com", "/cart");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body())
          .contains("backend=a", "uri=/cart", "header x-forwarded-proto: https");
    }
  }

  @Test
  void theAccessLogNamesTheTlsVersionAndTheServerName() throws IOException {
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger access = (Logger) LoggerFactory.getLogger("gantry.access");
    lines.start();
    access.addAppender(lines);
    try (SSLSocket socket = TlsClients.connect(port(), "shop.example.com", "http/1.1");
        RawHttp http = RawHttp.over(socket)) {
      assertThat(http.get("shop.example.com", "/logged").status()).isEqualTo(200);
      await().until(() -> !lines.list.isEmpty());
    } finally {
      access.detachAppender(lines);
    }

    assertThat(lines.list.get(0).getFormattedMessage())
        .contains("\"path\":\"/logged\"", "\"tls\":\"TLSv1.3\"", "\"sni\":\"shop.example.com\"");
  }

  @Test
  void aClientOfferingNoAlpnIsSpokenHttp11To() throws IOException {
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));

    try (SSLSocket socket = TlsClients.connect(port(), "shop.example.com");
        RawHttp http = RawHttp.over(socket)) {
      assertThat(http.get("shop.example.com", "/").body()).contains("backend=a");
    }
  }

  @Test
  void anH2cUpgradeOverTlsIsServedAsHttp11() throws IOException {
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));

    try (SSLSocket socket = TlsClients.connect(port(), "shop.example.com", "http/1.1");
        RawHttp http = RawHttp.over(socket)) {
      http.send(
          "GET /upgrade HTTP/1.1\r\nHost: shop.example.com\r\nConnection: Upgrade, HTTP2-Settings\r\n"
              + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains("uri=/upgrade").doesNotContain("header upgrade");
    }
  }

  @Test
  void h2ByAlpnReachesTheBackendWithForwardedProtoHttps() throws Exception {
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));
    try (HttpClient h2 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(TlsClients.trustingAnyServer())
            .connectTimeout(Duration.ofSeconds(5))
            .build()) {
      HttpResponse<String> response =
          h2.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port() + "/h2"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("backend=a", "uri=/h2", "header x-forwarded-proto: https");
    }
  }

  @Test
  void aRotatedCertificateServesNewConnectionsWhileAnOpenOneKeepsServing() throws IOException {
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));
    Issued rotated = TestCertificates.issue("shop/tls", "shop.example.com");

    try (SSLSocket open = TlsClients.connect(port(), "shop.example.com", "http/1.1");
        RawHttp before = RawHttp.over(open)) {
      assertThat(before.get("shop.example.com", "/before").status()).isEqualTo(200);

      fixture.apply(tlsSnapshot(2, FALLBACK, rotated, WILD));

      try (SSLSocket fresh = TlsClients.connect(port(), "shop.example.com")) {
        assertThat(TlsClients.served(fresh)).isEqualTo(rotated.certificate());
      }
      RawHttp.Response again = before.get("shop.example.com", "/again");
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.body()).contains("uri=/again");
      assertThat(TlsClients.served(open)).isEqualTo(SHOP.certificate());
    }
  }

  @Test
  void aBrokenCertificateIsSkippedWhileTheOtherHostsKeepServing() throws IOException {
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));

    fixture.apply(tlsSnapshot(2, FALLBACK, SHOP, WILD.withKeyOf(SHOP)));

    assertThat(fixture.dataplane.currentVersion()).as("acknowledged, not refused").isEqualTo(2);
    try (SSLSocket wildcard = TlsClients.connect(port(), "a.example.com");
        SSLSocket shop = TlsClients.connect(port(), "shop.example.com", "http/1.1");
        RawHttp http = RawHttp.over(shop)) {
      assertThat(TlsClients.served(wildcard)).isEqualTo(FALLBACK.certificate());
      assertThat(TlsClients.served(shop)).isEqualTo(SHOP.certificate());
      assertThat(http.get("shop.example.com", "/").status()).isEqualTo(200);
    }
    assertThat(fixture.admin("/metrics").body())
        .contains("gantry_dataplane_tls_certificates_invalid 1.0");
  }

  @Test
  void refusesTls11AndSpeaksTls12And13() throws Exception {
    assumeTrue(installed("openssl", "version"), "openssl is not installed");
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));

    // SECLEVEL=0 lets OpenSSL 3 offer TLS 1.1 at all: the refusal must be the server's.
    Run tls11 = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
    Run tls12 = sClient("-tls1_2");
    Run tls13 = sClient("-tls1_3");

    assertThat(tls11.exit()).isNotZero();
    assertThat(tls11.output()).contains("alert protocol version");
    assertThat(tls12.exit()).isZero();
    assertThat(tls12.output()).contains("Protocol  : TLSv1.2", "CN = shop.example.com");
    assertThat(tls13.exit()).isZero();
    assertThat(tls13.output()).contains("TLSv1.3");
  }

  @Test
  void resumesASessionFromItsTicket() throws Exception {
    assumeTrue(installed("openssl", "version"), "openssl is not installed");
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));
    File session = File.createTempFile("gantry-tls-session", ".pem");
    session.deleteOnExit();

    Run first = sClient("-tls1_2", "-sess_out", session.getPath());
    Run resumed = sClient("-tls1_2", "-sess_in", session.getPath());

    assertThat(first.output())
        .contains("New, TLSv1.2", "TLS session ticket lifetime hint: 3600 (seconds)");
    assertThat(resumed.exit()).isZero();
    assertThat(resumed.output()).contains("Reused, TLSv1.2");
  }

  @Test
  void curlGetsH2AndHttp11BySniThroughToTheBackend() throws Exception {
    assumeTrue(installed("curl", "--version"), "curl is not installed");
    start(true);
    fixture.apply(tlsSnapshot(1, FALLBACK, SHOP, WILD));

    for (String version : List.of("--http2", "--http1.1")) {
      Run curl =
          run(
              "curl",
              "-sS",
              "-k",
              version,
              "--resolve",
              "shop.example.com:" + port() + ":127.0.0.1",
              "-w",
              "\\nversion=%{http_version}",
              "https://shop.example.com:" + port() + "/curl");

      assertThat(curl.exit()).as(curl.output()).isZero();
      assertThat(curl.output())
          .contains("backend=a", "header x-forwarded-proto: https")
          .contains(version.equals("--http2") ? "version=2" : "version=1.1");
    }
  }

  private Run sClient(String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + port(),
                "-servername",
                "shop.example.com"));
    command.addAll(List.of(options));
    return run(command.toArray(String[]::new));
  }
}
