package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Commands.installed;
import static dev.gantry.dataplane.testing.Commands.run;
import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import dev.gantry.dataplane.testing.Commands.Run;
import dev.gantry.dataplane.testing.RawH2;
import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestPki;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.protocol.v1.ClientValidation;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsPolicy;
import dev.gantry.protocol.v1.TlsVersion;
import dev.gantry.protocol.v1.VirtualHost;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.File;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Per-host TLS policies with real clients on loopback: the TLS versions and cipher suites offered
 * per server name, client certificates required or optional, what the backend sees in
 * X-Forwarded-Client-Cert, and 421 Misdirected Request for a request whose host has another policy
 * than its connection's handshake.
 */
class TlsPolicyIT {

  private static final TestCertificates.Issued FALLBACK =
      TestCertificates.issue("gantry/default", "fallback.test");
  private static final TestCertificates.Issued SITE =
      TestCertificates.issue("shop/site", "*.example.com");

  private static final TestPki CLIENTS = TestPki.newCa("clients");
  private static final TestPki STRANGERS = TestPki.newCa("strangers");
  private static final TestPki.Issued CLIENT =
      CLIENTS.issue(
          "O=Example,CN=payments",
          new String[] {"payments.internal"},
          new String[] {"spiffe://example.org/ns/shop/sa/payments"});
  private static final TestPki.Issued STRANGER =
      STRANGERS.issue("CN=stranger", new String[0], new String[0]);

  private final TestBackend backend = TestBackend.start("a");
  private DataplaneFixture fixture;

  @BeforeEach
  void start() {
    fixture =
        DataplaneFixture.start(
            config ->
                config
                    .withHttps(DataplaneConfig.Listener.loopback(0))
                    .withHttpsRedirectPort(8443) // the port in Location; nothing listens there
                    .withDefaultCertificate(FALLBACK.name()));
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    backend.close();
  }

  private static TlsPolicy clientValidation(String caPem, boolean optional, boolean forward) {
    return TlsPolicy.newBuilder()
        .setClientValidation(
            ClientValidation.newBuilder()
                .setCaBundle(ByteString.copyFrom(caPem, StandardCharsets.US_ASCII))
                .setOptional(optional)
                .setForwardCertificate(forward))
        .build();
  }

  private static VirtualHost site(String name, TlsPolicy policy) {
    VirtualHost.Builder host =
        host(name, List.of(name + ".example.com"), prefix(name, "/", "backend")).toBuilder()
            .setCertificate(SITE.name());
    if (policy != null) {
      host.setTlsPolicy(policy);
    }
    return host.build();
  }

  /** Every host shares one certificate: only their policies tell them apart. */
  private Snapshot policies(long version, TlsPolicy legacyPolicy) {
    List<VirtualHost> hosts =
        List.of(
            site("legacy", legacyPolicy),
            site(
                "modern", TlsPolicy.newBuilder().setMinVersion(TlsVersion.TLS_VERSION_1_3).build()),
            site(
                "suites",
                TlsPolicy.newBuilder()
                    .addCipherSuites("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
                    .build()),
            site("mtls", clientValidation(CLIENTS.caPem(), false, false)),
            site("guarded", clientValidation(CLIENTS.caPem(), false, false)).toBuilder()
                .setHttpsRedirect(true)
                .build(),
            site("optional", clientValidation(CLIENTS.caPem(), true, true)),
            site(
                "broken",
                clientValidation("-----BEGIN CERTIFICATE-----\nnot base64\n", false, false)),
            host("plain", List.of("plain.test"), prefix("plain", "/", "backend")));
    return snapshot(
        version,
        hosts,
        List.of(cluster("backend", backend.address())),
        List.of(FALLBACK.toProto(), SITE.toProto()));
  }

  private int port() {
    return fixture.dataplane.httpsPort();
  }

  private SSLSocket connect(String serverName, TestPki.Issued client, String... alpn)
      throws IOException {
    return TlsClients.connect(
        client == null
            ? TlsClients.trustingAnyServer()
            : TlsClients.presenting(client.key(), client.certificate()),
        port(),
        serverName,
        null,
        alpn);
  }

  /** GET over a fresh connection; the handshake or the first read fails for a refused client. */
  private RawHttp.Response get(
      String serverName, TestPki.Issued client, String host, String... headers) throws IOException {
    try (SSLSocket socket = connect(serverName, client, "http/1.1");
        RawHttp http = RawHttp.over(socket)) {
      http.send(
          "GET /policy HTTP/1.1\r\nHost: " + host + "\r\n" + String.join("", headers) + "\r\n");
      return http.read();
    }
  }

  private static String hash(TestPki.Issued certificate) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(certificate.certificate().getEncoded()));
  }

  @Test
  void aTls13MinimumRefusesATls12ClientThatAnotherHostStillTakes() throws IOException {
    fixture.apply(policies(1, null));
    String[] tls12 = {"TLSv1.2"};

    assertThatThrownBy(
            () -> TlsClients.connect(port(), "modern.example.com", tls12, "http/1.1").close())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("protocol_version");
    try (SSLSocket legacy = TlsClients.connect(port(), "legacy.example.com", tls12, "http/1.1");
        RawHttp http = RawHttp.over(legacy);
        SSLSocket modern = TlsClients.connect(port(), "modern.example.com", "http/1.1")) {
      assertThat(legacy.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(http.get("legacy.example.com", "/").status()).isEqualTo(200);
      assertThat(modern.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
  }

  @Test
  void aHostWithCipherSuitesNegotiatesOneOfThem() throws IOException {
    fixture.apply(policies(1, null));
    String[] tls12 = {"TLSv1.2"};

    try (SSLSocket suites = TlsClients.connect(port(), "suites.example.com", tls12, "http/1.1");
        SSLSocket legacy = TlsClients.connect(port(), "legacy.example.com", tls12, "http/1.1")) {
      assertThat(suites.getSession().getCipherSuite())
          .isEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
      assertThat(legacy.getSession().getCipherSuite())
          .as("the default order prefers AES-GCM")
          .isNotEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    }
  }

  @Test
  void requiredClientValidationForwardsTheVerifiedCertificateOnly() throws Exception {
    fixture.apply(policies(1, null));

    assertThatThrownBy(() -> get("mtls.example.com", null, "mtls.example.com"))
        .as("no certificate")
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class);
    assertThatThrownBy(() -> get("mtls.example.com", STRANGER, "mtls.example.com"))
        .as("a certificate of another CA")
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class);
    RawHttp.Response trusted =
        get(
            "mtls.example.com",
            CLIENT,
            "mtls.example.com",
            "X-Forwarded-Client-Cert: Hash=spoofed\r\n");

    assertThat(trusted.status()).isEqualTo(200);
    assertThat(trusted.body())
        .contains(
            "header x-forwarded-client-cert: Hash="
                + hash(CLIENT)
                + ";Subject=\"CN=payments,O=Example\""
                + ";URI=spiffe://example.org/ns/shop/sa/payments"
                + ";DNS=payments.internal\n")
        .doesNotContain("spoofed", "Cert=");
  }

  @Test
  void optionalClientValidationServesClientsWithoutACertificateWithoutTheHeader() throws Exception {
    fixture.apply(policies(1, null));

    RawHttp.Response without =
        get(
            "optional.example.com",
            null,
            "optional.example.com",
            "X-Forwarded-Client-Cert: Hash=spoofed\r\n");
    RawHttp.Response with = get("optional.example.com", CLIENT, "optional.example.com");

    assertThat(without.status()).isEqualTo(200);
    assertThat(without.body()).doesNotContain("x-forwarded-client-cert");
    assertThat(with.status()).isEqualTo(200);
    assertThat(with.body())
        .contains("header x-forwarded-client-cert: Hash=" + hash(CLIENT) + ";Cert=\"-----BEGIN");
    assertThatThrownBy(() -> get("optional.example.com", STRANGER, "optional.example.com"))
        .as("a certificate sent must verify")
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void theCleartextListenerStripsTheHeaderAndSendsRequiredHostsAway() throws IOException {
    fixture.apply(policies(1, null));

    try (RawHttp http = RawHttp.connect(fixture.dataplane.httpPort())) {
      http.send(
          "GET / HTTP/1.1\r\nHost: plain.test\r\nX-Forwarded-Client-Cert: Hash=spoofed\r\n\r\n");
      RawHttp.Response plain = http.read();
      RawHttp.Response required = http.get("mtls.example.com", "/");
      RawHttp.Response optional = http.get("optional.example.com", "/");

      assertThat(plain.status()).isEqualTo(200);
      assertThat(plain.body()).contains("backend=a").doesNotContain("x-forwarded-client-cert");
      assertThat(required.status()).isEqualTo(421);
      assertThat(required.body()).contains("requires a client certificate");
      assertThat(optional.status()).isEqualTo(200);
    }
  }

  @Test
  void aHostRequiringCertificatesThatRedirectsIsRedirectedAndKeepsItsAcmeChallenges()
      throws IOException {
    fixture.apply(policies(1, null));

    try (RawHttp http = RawHttp.connect(fixture.dataplane.httpPort())) {
      RawHttp.Response redirected = http.get("guarded.example.com", "/cart?x=1");
      RawHttp.Response challenge = http.get("guarded.example.com", "/.well-known/acme-challenge/t");

      assertThat(redirected.status()).isEqualTo(308);
      assertThat(redirected.headers().get("location"))
          .isEqualTo("https://guarded.example.com:8443/cart?x=1");
      assertThat(challenge.status()).isEqualTo(200);
      assertThat(challenge.body()).contains("uri=/.well-known/acme-challenge/t");
    }
  }

  @Test
  void aRequestForAHostWithAnotherPolicyThanItsConnectionIsMisdirected() throws IOException {
    fixture.apply(policies(1, null));
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger access = (Logger) LoggerFactory.getLogger("gantry.access");
    lines.start();
    access.addAppender(lines);

    RawHttp.Response bypass;
    try {
      bypass = get("legacy.example.com", null, "mtls.example.com");
      await().until(() -> !lines.list.isEmpty());
    } finally {
      access.detachAppender(lines);
    }
    RawHttp.Response noSni = get(null, null, "mtls.example.com");
    RawHttp.Response theOtherWay = get("mtls.example.com", CLIENT, "legacy.example.com");
    RawHttp.Response samePolicy = get("legacy.example.com", null, "plain.test");

    assertThat(bypass.status()).isEqualTo(421);
    assertThat(bypass.body()).contains("misdirected request").doesNotContain("backend=");
    assertThat(lines.list.get(0).getFormattedMessage())
        .contains("\"status\":421", "\"sni\":\"legacy.example.com\"");
    assertThat(noSni.status()).as("the default certificate's policy").isEqualTo(421);
    assertThat(theOtherWay.status()).isEqualTo(421);
    assertThat(samePolicy.status()).as("both default").isEqualTo(200);
    assertThat(fixture.admin("/metrics").body())
        .containsPattern("gantry_dataplane_requests_total\\{status_class=\"4xx\"} 3.0");
  }

  @Test
  void anHttp2ConnectionReusedForAHostWithAnotherPolicyIsAnswered421() throws Exception {
    fixture.apply(policies(1, null));

    try (SSLSocket socket = connect("legacy.example.com", null, "h2");
        RawH2 h2 = new RawH2(socket)) {
      assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
      h2.send(h2.frames.headers(1, request("legacy.example.com"), true));
      h2.send(h2.frames.headers(3, request("mtls.example.com"), true));
      h2.readUntil(log -> log.endStreams >= 2);

      assertThat(h2.log.headers.get(1).status().toString()).isEqualTo("200");
      assertThat(h2.log.headers.get(3).status().toString()).isEqualTo("421");
      assertThat(h2.log.body(3)).contains("misdirected request");
    }
  }

  @Test
  void http2StreamsCarryTheirConnectionsClientCertificate() throws Exception {
    fixture.apply(policies(1, null));

    try (SSLSocket socket = connect("mtls.example.com", CLIENT, "h2");
        RawH2 h2 = new RawH2(socket)) {
      h2.send(h2.frames.headers(1, request("mtls.example.com"), true));
      h2.send(h2.frames.headers(3, request("mtls.example.com"), true));
      h2.readUntil(log -> log.endStreams >= 2);

      assertThat(h2.log.body(1)).contains("header x-forwarded-client-cert: Hash=" + hash(CLIENT));
      assertThat(h2.log.body(3)).contains("header x-forwarded-client-cert: Hash=" + hash(CLIENT));
    }
  }

  private static Http2Headers request(String authority) {
    return new DefaultHttp2Headers().method("GET").scheme("https").authority(authority).path("/h2");
  }

  @Test
  void aCaBundleThatDoesNotParseFailsOnlyItsHostsHandshakes() throws IOException {
    fixture.apply(policies(1, null));

    assertThat(fixture.dataplane.currentVersion()).as("acknowledged, not refused").isEqualTo(1);
    assertThatThrownBy(() -> connect("broken.example.com", CLIENT, "http/1.1").close())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("handshake_failure");
    assertThat(get("legacy.example.com", null, "legacy.example.com").status()).isEqualTo(200);
    assertThat(fixture.admin("/metrics").body())
        .contains(
            "gantry_dataplane_tls_policies_invalid 1.0",
            "gantry_dataplane_tls_policy_refused_handshakes_total 1.0");
  }

  @Test
  void aPolicyChangeAppliesToNewHandshakesAndSendsOpenConnectionsAway() throws Exception {
    fixture.apply(policies(1, null));

    try (SSLSocket open = connect("legacy.example.com", null, "http/1.1");
        RawHttp before = RawHttp.over(open)) {
      assertThat(before.get("legacy.example.com", "/").status()).isEqualTo(200);

      fixture.apply(policies(2, clientValidation(CLIENTS.caPem(), false, false)));

      assertThatThrownBy(() -> get("legacy.example.com", null, "legacy.example.com"))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(SocketTimeoutException.class);
      assertThat(get("legacy.example.com", CLIENT, "legacy.example.com").body())
          .contains("header x-forwarded-client-cert: Hash=" + hash(CLIENT));
      assertThat(before.get("legacy.example.com", "/").status())
          .as("handshaken without a client certificate")
          .isEqualTo(421);
    }
  }

  @Test
  void curlPresentsItsCertificateAndOpensslIsRefusedTls12() throws Exception {
    assumeTrue(installed("curl", "--version"), "curl is not installed");
    assumeTrue(installed("openssl", "version"), "openssl is not installed");
    fixture.apply(policies(1, null));
    Path dir = Files.createTempDirectory("gantry-mtls");
    Path cert = Files.writeString(dir.resolve("client.crt"), CLIENT.chainPem());
    Path key = Files.writeString(dir.resolve("client.key"), CLIENT.keyPem());

    Run with = curl("--cert", cert.toString(), "--key", key.toString());
    Run without = curl();
    Run tls12 =
        run(
            "openssl",
            "s_client",
            "-connect",
            "127.0.0.1:" + port(),
            "-servername",
            "modern.example.com",
            "-tls1_2");

    assertThat(with.exit()).as(with.output()).isZero();
    assertThat(with.output()).contains("header x-forwarded-client-cert: Hash=" + hash(CLIENT));
    // TLS 1.3 checks the client's certificate after the client finished its handshake: curl sees
    // the
    // alert (35/56), or, when the connection is already gone as it looks, a send or receive
    // failure.
    assertThat(without.exit()).as(without.output()).isIn(35, 55, 56);
    assertThat(without.output()).doesNotContain("x-forwarded-client-cert");
    assertThat(tls12.exit()).isNotZero();
    assertThat(tls12.output()).contains("alert protocol version");
  }

  @Test
  void aSessionOfAHostWithoutClientValidationDoesNotResumeOnOneWithIt() throws Exception {
    assumeTrue(installed("openssl", "version"), "openssl is not installed");
    fixture.apply(policies(1, null));
    File session = File.createTempFile("gantry-tls-session", ".pem");
    session.deleteOnExit();

    Run legacy = sClient("legacy.example.com", "-tls1_2", "-sess_out", session.getPath());
    Run again = sClient("legacy.example.com", "-tls1_2", "-sess_in", session.getPath());
    Run mtls = sClient("mtls.example.com", "-tls1_2", "-sess_in", session.getPath());

    assertThat(legacy.output()).contains("New, TLSv1.2");
    assertThat(again.output()).as("the ticket resumes where it was issued").contains("Reused");
    assertThat(mtls.output()).doesNotContain("Reused");
    assertThat(mtls.exit()).as(mtls.output()).isNotZero();
  }

  private Run sClient(String serverName, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + port(),
                "-servername",
                serverName));
    command.addAll(List.of(options));
    return run(command.toArray(String[]::new));
  }

  private Run curl(String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("curl", "-sS", "-k", "--resolve", "mtls.example.com:" + port() + ":127.0.0.1"));
    command.addAll(List.of(options));
    command.add("https://mtls.example.com:" + port() + "/curl");
    return run(command.toArray(String[]::new));
  }
}
