package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS end to end in standalone mode: the compiler's TLS fixture folder (Secrets and routes with
 * {@code spec.tls}) read from disk, checked by the compiler, shipped in the snapshot and served by
 * the dataplane's TLS port, with one {@code --default-certificate} for both halves.
 */
class StandaloneTlsIT {

  @TempDir Path dir;

  private Standalone standalone;

  @BeforeEach
  void start() throws Exception {
    Files.copy(
        Path.of("../operator/src/test/resources/compile/in/tls.yaml"), dir.resolve("tls.yaml"));
    standalone =
        Standalone.start(
            dir,
            DataplaneConfig.defaults("standalone-tls-it")
                .withHttp(Listener.loopback(0))
                .withHttps(Listener.loopback(0))
                .withAdmin(Listener.loopback(0))
                .withHttpsRedirectPort(443)
                .withDefaultCertificate("default/wildcard-tls"));
  }

  @AfterEach
  void stop() throws Exception {
    standalone.close();
  }

  @Test
  void servesEachHostnameItsCheckedCertificateAndTheDefaultOtherwise() throws IOException {
    awaitShopServed();

    assertThat(subjectFor("www.shop.example.com")).isEqualTo("CN=shop.example.com");
    assertThat(subjectFor("api.example.com")).isEqualTo("CN=wildcard.example.com");
    assertThat(subjectFor("a.b.example.com"))
        .as("not covered by *.example.com: the default")
        .isEqualTo("CN=wildcard.example.com");
    assertThat(subjectFor("old.example.com"))
        .as("expired, so left out by the compiler: the default")
        .isEqualTo("CN=wildcard.example.com");
    assertThat(subjectFor(null)).isEqualTo("CN=wildcard.example.com");
  }

  @Test
  void answersOverTlsWithTheRoutesOfTheHost() throws Exception {
    awaitShopServed();

    try (SSLSocket socket = connect("shop.example.com")) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nshop\n");
    }
  }

  @Test
  void theCleartextPortRedirectsHostsServedWithTlsAndServesTheOthers() throws Exception {
    awaitShopServed();

    assertThat(cleartextGet("shop.example.com", "/cart?page=2"))
        .startsWith("HTTP/1.1 308")
        .containsIgnoringCase("location: https://shop.example.com/cart?page=2");
    assertThat(cleartextGet("old.example.com", "/"))
        .as("its certificate expired, so it has no TLS to go to: served")
        .startsWith("HTTP/1.1 200");
  }

  private String cleartextGet(String host, String path) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), standalone.httpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void withoutTheDefaultSecretAnUncoveredNameIsRefused() throws Exception {
    String fixture = Files.readString(dir.resolve("tls.yaml"));
    int wildcardStart = fixture.indexOf("# wildcard-tls");
    int wildcardEnd = fixture.indexOf("\n---\n", wildcardStart) + "\n---\n".length();
    awaitShopServed();

    Files.writeString(
        dir.resolve("tls.yaml"),
        fixture.substring(0, wildcardStart) + fixture.substring(wildcardEnd));

    await()
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> subjectFor("a.b.example.com"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("unrecognized_name"));
    assertThat(subjectFor("shop.example.com")).isEqualTo("CN=shop.example.com");
  }

  @Test
  void servesACertificateOfAnotherNamespaceWhileItsDelegationIsInTheFolder() throws Exception {
    Path fixtures = Path.of("../e2e/src/test/resources/tls");
    String secret =
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: shared-tls, namespace: certs}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        %s
          tls.key: |
        %s
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: team, namespace: team}
        spec:
          hostnames: [delegated.example.net]
          tls: {secretName: certs/shared-tls}
          rules: [{directResponse: {status: 200, body: "team\\n"}}]
        """
            .formatted(
                Files.readString(fixtures.resolve("policy.crt")).indent(4),
                Files.readString(fixtures.resolve("policy.key")).indent(4));
    Path delegation = dir.resolve("delegation.yaml");
    Files.writeString(dir.resolve("team.yaml"), secret);
    awaitShopServed();
    assertThat(subjectFor("delegated.example.net"))
        .as("not delegated: the default certificate")
        .isEqualTo("CN=wildcard.example.com");

    Files.writeString(
        delegation,
        """
        apiVersion: gantry.dev/v1alpha1
        kind: TLSCertificateDelegation
        metadata: {name: shared, namespace: certs}
        spec:
          delegations: [{secretName: shared-tls, targetNamespaces: [team]}]
        """);
    await()
        .untilAsserted(
            () -> assertThat(subjectFor("delegated.example.net")).isEqualTo("CN=mtls.example.net"));

    Files.delete(delegation);
    await()
        .untilAsserted(
            () ->
                assertThat(subjectFor("delegated.example.net"))
                    .isEqualTo("CN=wildcard.example.com"));
  }

  /** Waits for the folder's first snapshot: until then every handshake is refused. */
  private void awaitShopServed() {
    await()
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(subjectFor("shop.example.com")).isEqualTo("CN=shop.example.com"));
  }

  private String subjectFor(String serverName) throws IOException {
    try (SSLSocket socket = connect(serverName)) {
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  /** Completes a handshake sending {@code serverName} (none when null), trusting any server. */
  private SSLSocket connect(String serverName) throws IOException {
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAny()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    int port = standalone.httpsPort();
    Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(
        serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    socket.setSSLParameters(parameters);
    try {
      socket.startHandshake();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  /** Trusts everything; as an extended manager, it also skips the JDK's host-name check. */
  private static final class TrustAny extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
