package dev.gantry.e2e.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.DirectResponse;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.dataplane.Dataplane;
import dev.gantry.dataplane.DataplaneChannels;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole TLS path on a real kube-apiserver: a route's {@code kubernetes.io/tls} Secret, read and
 * checked by the operator, streamed to a real dataplane, served on its HTTPS port by SNI; rotating
 * the Secret reaches new handshakes while a connection opened before keeps serving requests; the
 * default certificate serves other names once its Secret exists. No restart anywhere.
 */
@ExtendWith(KubeApiServerExtension.class)
class HttpsLiveSwapIT {
  private static final Path FIXTURES = Path.of("src/test/resources/tls");

  private KubernetesClient client;
  private String ns;
  private GantryOperator operator;
  private ManagedChannel channel;
  private Dataplane dataplane;

  @BeforeEach
  void start(KubeApiServer api, TestNamespace namespace) throws Exception {
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
    channel = DataplaneChannels.forTarget("127.0.0.1:" + operator.grpcPort());
    dataplane =
        Dataplane.start(
            DataplaneConfig.defaults("https-live-swap-it")
                .withHttp(Listener.loopback(0))
                .withHttps(Listener.loopback(0))
                .withAdmin(Listener.loopback(0))
                .withDefaultCertificate(ns + "/fallback"),
            channel);
  }

  @AfterEach
  void stop() throws Exception {
    if (dataplane != null) {
      dataplane.close();
    }
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aRotatedSecretReachesNewHandshakesWhileAnOpenConnectionKeepsServing() throws Exception {
    client.resource(tlsSecret("shop-tls", "shop-1")).create();
    client.resource(route("shop", "shop.example.com", "shop-tls")).create();
    await()
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(servedTo("shop.example.com")).isEqualTo(certificate("shop-1")));

    try (SSLSocket open = connect("shop.example.com")) {
      assertThat(get(open, "shop.example.com")).startsWith("HTTP/1.1 200").endsWith("shop\n");

      client
          .secrets()
          .inNamespace(ns)
          .withName("shop-tls")
          .edit(s -> tlsSecret("shop-tls", "shop-2"));

      await()
          .untilAsserted(
              () -> assertThat(servedTo("shop.example.com")).isEqualTo(certificate("shop-2")));
      assertThat(get(open, "shop.example.com"))
          .as("the connection opened before the rotation")
          .startsWith("HTTP/1.1 200")
          .endsWith("shop\n");
      assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(certificate("shop-1"));
    }
  }

  @Test
  void theDefaultCertificateServesOtherNamesOnceItsSecretExists() throws Exception {
    client.resource(tlsSecret("shop-tls", "shop-1")).create();
    client.resource(route("shop", "shop.example.com", "shop-tls")).create();
    await()
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(servedTo("shop.example.com")).isEqualTo(certificate("shop-1")));

    client.resource(tlsSecret("fallback", "fallback")).create();

    await()
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(servedTo("elsewhere.test")).isEqualTo(certificate("fallback")));
    assertThat(servedTo(null)).isEqualTo(certificate("fallback"));
    assertThat(servedTo("shop.example.com")).isEqualTo(certificate("shop-1"));
  }

  private X509Certificate servedTo(String serverName) throws IOException {
    try (SSLSocket socket = connect(serverName)) {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** Sends a keep-alive GET / and returns the response, which must have a Content-Length. */
  private static String get(SSLSocket socket, String host) throws IOException {
    socket
        .getOutputStream()
        .write(
            ("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the response head");
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** Completes a handshake on the HTTPS port sending {@code serverName} (none when null). */
  private SSLSocket connect(String serverName) throws IOException {
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAny()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    int port = dataplane.httpsPort();
    Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(
        serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    parameters.setApplicationProtocols(new String[] {"http/1.1"});
    socket.setSSLParameters(parameters);
    try {
      socket.startHandshake();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  private ProxyRoute route(String name, String host, String secret) {
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

  private Secret tlsSecret(String name, String fixture) {
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

  private static X509Certificate certificate(String fixture) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(fixture(fixture + ".crt")));
  }

  private static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(FIXTURES.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
