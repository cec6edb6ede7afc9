package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.withCertificate;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.ScriptedBackend;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.protocol.v1.Hsts;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.VirtualHost;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redirects from cleartext to HTTPS, and Strict-Transport-Security, as a client sees them on both
 * listeners of a dataplane in front of a real backend.
 */
class HttpsRedirectIT {

  private static final Issued SHOP = TestCertificates.issue("shop/tls", "shop.example.com");
  private static final Hsts ONE_YEAR =
      Hsts.newBuilder()
          .setMaxAge(Duration.newBuilder().setSeconds(31_536_000))
          .setIncludeSubdomains(true)
          .build();

  private final TestBackend backend = TestBackend.start("a");
  private DataplaneFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
    backend.close();
  }

  private void start(UnaryOperator<DataplaneConfig> customize) {
    fixture = DataplaneFixture.start(customize);
    fixture.apply(hosts(1));
  }

  private void startWithTls(int redirectPort) {
    start(
        config ->
            config
                .withHttps(DataplaneConfig.Listener.loopback(0))
                .withHttpsRedirectPort(redirectPort));
  }

  private Snapshot hosts(long version) {
    VirtualHost shop =
        withCertificate(
                host("shop", List.of("shop.example.com"), prefix("shop", "/", "backend")),
                "shop/tls")
            .toBuilder()
            .setHttpsRedirect(true)
            .setHsts(ONE_YEAR)
            .build();
    VirtualHost stay =
        withCertificate(
                host("stay", List.of("stay.example.com"), prefix("stay", "/api", "backend")),
                "shop/tls")
            .toBuilder()
            .setHsts(ONE_YEAR)
            .build();
    VirtualHost plain =
        host("plain", List.of("plain.test"), prefix("plain", "/", "backend")).toBuilder()
            .setHttpsRedirect(true) // without a certificate: nowhere to redirect to
            .build();
    return snapshot(
        version,
        List.of(shop, stay, plain),
        List.of(cluster("backend", backend.address())),
        List.of(SHOP.toProto()));
  }

  @Test
  void aCleartextRequestForAHostWithRedirectGetsA308ToTheSameUrlOverHttps() {
    startWithTls(8443);

    HttpResponse<String> get = fixture.get("shop.example.com", "/cart/items?page=2&sort=asc");
    HttpResponse<String> post =
        fixture.send(
            fixture
                .request("shop.example.com:8080", "/checkout")
                .POST(HttpRequest.BodyPublishers.ofString("order"))
                .build());

    assertThat(get.statusCode()).isEqualTo(308);
    assertThat(get.headers().firstValue("location"))
        .hasValue("https://shop.example.com:8443/cart/items?page=2&sort=asc");
    assertThat(post.statusCode()).as("308 keeps the method and body").isEqualTo(308);
    assertThat(post.headers().firstValue("location"))
        .as("the Host's own port is replaced by the HTTPS port")
        .hasValue("https://shop.example.com:8443/checkout");
    assertThat(backend.received()).as("nothing reached the backend").isEmpty();
  }

  @Test
  void theRedirectToPort443LeavesThePortOut() {
    startWithTls(443);

    HttpResponse<String> response = fixture.get("shop.example.com", "/");

    assertThat(response.headers().firstValue("location")).hasValue("https://shop.example.com/");
  }

  @Test
  void acmeHttp01ChallengesAreRoutedNotRedirected() {
    startWithTls(8443);

    HttpResponse<String> response =
        fixture.get("shop.example.com", "/.well-known/acme-challenge/token-123");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("uri=/.well-known/acme-challenge/token-123");
    assertThat(response.headers().firstValue("strict-transport-security"))
        .as("never HSTS in cleartext")
        .isEmpty();
  }

  @Test
  void hostsWithoutRedirectAreServedInCleartextWithoutHsts() {
    startWithTls(8443);

    HttpResponse<String> tlsHost = fixture.get("stay.example.com", "/api/x");
    HttpResponse<String> plain = fixture.get("plain.test", "/");

    assertThat(tlsHost.statusCode()).isEqualTo(200);
    assertThat(tlsHost.headers().firstValue("strict-transport-security")).isEmpty();
    assertThat(plain.statusCode()).as("no certificate, no redirect").isEqualTo(200);
  }

  @Test
  void withoutATlsListenerNothingIsRedirected() {
    start(UnaryOperator.identity());

    HttpResponse<String> response = fixture.get("shop.example.com", "/cart");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("uri=/cart");
  }

  @Test
  void overTlsResponsesCarryTheHostsHstsForwardedAndLocal() throws IOException {
    startWithTls(8443);

    try (SSLSocket socket = TlsClients.connect(fixture.dataplane.httpsPort(), "shop.example.com");
        RawHttp http = RawHttp.over(socket)) {
      RawHttp.Response forwarded = http.get("shop.example.com", "/cart");
      RawHttp.Response noRoute = http.get("stay.example.com", "/elsewhere");

      assertThat(forwarded.status()).isEqualTo(200);
      assertThat(forwarded.headers())
          .containsEntry("strict-transport-security", "max-age=31536000; includeSubDomains");
      assertThat(noRoute.status()).isEqualTo(404);
      assertThat(noRoute.headers())
          .as("a response the proxy makes itself carries it too")
          .containsEntry("strict-transport-security", "max-age=31536000; includeSubDomains");
    }
  }

  @Test
  void theHostsHstsReplacesTheBackendsOwn() throws IOException {
    try (ScriptedBackend own =
        ScriptedBackend.answersThenCloses(
            "HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=60\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n",
            "ok")) {
      fixture =
          DataplaneFixture.start(config -> config.withHttps(DataplaneConfig.Listener.loopback(0)));
      VirtualHost shop =
          withCertificate(
                  host("shop", List.of("shop.example.com"), prefix("shop", "/", "own")), "shop/tls")
              .toBuilder()
              .setHsts(ONE_YEAR.toBuilder().setPreload(true))
              .build();
      fixture.apply(
          snapshot(
              1, List.of(shop), List.of(cluster("own", own.address())), List.of(SHOP.toProto())));

      try (SSLSocket socket =
              TlsClients.connect(fixture.dataplane.httpsPort(), "shop.example.com");
          RawHttp http = RawHttp.over(socket)) {
        http.send("GET / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n");
        String response = new String(http.readUntilClosed(), StandardCharsets.ISO_8859_1);

        assertThat(response.toLowerCase(Locale.ROOT))
            .containsOnlyOnce("strict-transport-security")
            .contains("strict-transport-security: max-age=31536000; includesubdomains; preload");
      }
    }
  }
}
