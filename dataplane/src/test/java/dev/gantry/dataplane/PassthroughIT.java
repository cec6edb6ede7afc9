package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Commands.installed;
import static dev.gantry.dataplane.testing.Commands.run;
import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.weighted;
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
import dev.gantry.dataplane.testing.TestPki;
import dev.gantry.dataplane.testing.TlsBackend;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TcpProxy;
import dev.gantry.protocol.v1.VirtualHost;
import dev.gantry.protocol.v1.WeightedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * TLS passthrough with real TLS backends and clients on loopback: the client handshakes with the
 * backend itself (it sees the backend's certificate, not Gantry's), while terminated hosts on the
 * same port keep Gantry's; endpoints picked per connection, connect failures, backpressure,
 * half-close and snapshot changes under an open relay.
 */
class PassthroughIT {

  private static final TestPki PKI = TestPki.newCa("backend-ca");
  private static final TestPki.Issued DB_A = PKI.issue("db.example.com");
  private static final TestPki.Issued DB_B = PKI.issue("db.example.com");
  private static final TestCertificates.Issued SHOP =
      TestCertificates.issue("shop/tls", "shop.example.com");
  private static final TestCertificates.Issued WILD =
      TestCertificates.issue("shop/wild", "*.example.com");

  private final TestBackend http = TestBackend.start("terminated");
  private final List<AutoCloseable> backends = new ArrayList<>();
  private DataplaneFixture fixture;

  @AfterEach
  void tearDown() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
    for (AutoCloseable backend : backends) {
      backend.close();
    }
    http.close();
  }

  private void start() {
    start(DataplaneConfig.Shutdown.DEFAULT);
  }

  private void start(DataplaneConfig.Shutdown shutdown) {
    fixture =
        DataplaneFixture.start(
            config ->
                config.withHttps(DataplaneConfig.Listener.loopback(0)).withShutdown(shutdown));
  }

  private TlsBackend tlsBackend(TestPki.Issued certificate) {
    TlsBackend backend = TlsBackend.start(certificate, null);
    backends.add(backend);
    return backend;
  }

  private RawBackend rawBackend(Consumer<Socket> serve) throws IOException {
    RawBackend backend = new RawBackend(serve);
    backends.add(backend);
    return backend;
  }

  private static VirtualHost passthrough(String name, List<String> domains, WeightedCluster... to) {
    return VirtualHost.newBuilder()
        .setName(name)
        .addAllDomains(domains)
        .setTcpProxy(TcpProxy.newBuilder().addAllClusters(List.of(to)))
        .build();
  }

  /**
   * A snapshot with a passthrough host db.example.com over {@code clusters} (weight 1 each), a
   * terminated host shop.example.com and a terminated wildcard *.example.com.
   */
  private Snapshot snapshotWith(long version, Cluster... clusters) {
    return snapshotWith(version, Duration.ZERO, clusters);
  }

  /** As {@link #snapshotWith(long, Cluster...)}, with the relay's idle timeout (0: the default). */
  private Snapshot snapshotWith(long version, Duration idleTimeout, Cluster... clusters) {
    List<Cluster> all = new ArrayList<>(List.of(clusters));
    all.add(cluster("web", http.address()));
    WeightedCluster[] targets =
        Arrays.stream(clusters).map(c -> weighted(c.getName(), 1)).toArray(WeightedCluster[]::new);
    return snapshot(
        version,
        List.of(
            passthrough("db", List.of("db.example.com"), targets).toBuilder()
                .setTcpProxy(
                    TcpProxy.newBuilder()
                        .addAllClusters(List.of(targets))
                        .setIdleTimeout(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(idleTimeout.toSeconds())))
                .build(),
            withCertificate(
                host("shop", List.of("shop.example.com"), prefix("shop", "/", "web")), "shop/tls"),
            withCertificate(
                host("wild", List.of("*.example.com"), prefix("wild", "/", "web")), "shop/wild")),
        all,
        List.of(SHOP.toProto(), WILD.toProto()));
  }

  private int port() {
    return fixture.dataplane.httpsPort();
  }

  @Test
  void theClientHandshakesWithTheBackendAndSpeaksHttp11ThroughTheRelay() throws IOException {
    TlsBackend db = tlsBackend(DB_A);
    start();
    fixture.apply(snapshotWith(1, cluster("db", db.address())));

    try (SSLSocket socket = TlsClients.connect(port(), "db.example.com", "http/1.1");
        RawHttp client = RawHttp.over(socket)) {
      assertThat(TlsClients.served(socket)).isEqualTo(DB_A.certificate());
      RawHttp.Response response = client.get("db.example.com", "/rows");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains("sni=db.example.com", "alpn=http/1.1", "path=/rows");
      assertThat(client.get("db.example.com", "/again").body()).contains("path=/again");
    }
  }

  @Test
  void terminatedHostsOnTheSamePortKeepGantrysCertificates() throws IOException {
    TlsBackend db = tlsBackend(DB_A);
    start();
    fixture.apply(snapshotWith(1, cluster("db", db.address())));

    try (SSLSocket exact = TlsClients.connect(port(), "shop.example.com", "http/1.1");
        SSLSocket wildcard = TlsClients.connect(port(), "other.example.com", "http/1.1");
        RawHttp client = RawHttp.over(exact)) {
      assertThat(TlsClients.served(exact)).isEqualTo(SHOP.certificate());
      assertThat(TlsClients.served(wildcard))
          .as("the exact passthrough name does not shadow the wildcard for other names")
          .isEqualTo(WILD.certificate());
      assertThat(client.get("shop.example.com", "/").body()).contains("backend=terminated");
    }
    assertThat(db.received()).isEmpty();
  }

  @Test
  void h2IsSpokenWithTheBackendThroughTheRelay() throws Exception {
    TlsBackend db = tlsBackend(DB_A);
    start();
    fixture.apply(snapshotWith(1, cluster("db", db.address())));
    try (HttpClient h2 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(TlsClients.trustingAnyServer())
            .sslParameters(TlsClients.parameters("db.example.com", "h2"))
            .connectTimeout(Duration.ofSeconds(5))
            .build()) {
      HttpResponse<String> response =
          h2.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port() + "/h2"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(response.body()).contains("sni=db.example.com", "alpn=h2", "path=/h2");
      assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
          .isEqualTo(DB_A.certificate());
    }
  }

  @Test
  void connectionsSpreadOverTheWeightedClusters() throws IOException {
    TlsBackend a = tlsBackend(DB_A);
    TlsBackend b = tlsBackend(DB_B);
    start();
    fixture.apply(snapshotWith(1, cluster("db-a", a.address()), cluster("db-b", b.address())));

    Set<X509Certificate> seen = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      try (SSLSocket socket = TlsClients.connect(port(), "db.example.com")) {
        seen.add(TlsClients.served(socket));
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(DB_A.certificate(), DB_B.certificate());
  }

  @Test
  void aDownEndpointIsSkippedForAnotherOne() throws IOException {
    TlsBackend db = tlsBackend(DB_A);
    InetSocketAddress down = unusedPort();
    start();
    fixture.apply(snapshotWith(1, cluster("db", down, db.address())));

    for (int i = 0; i < 4; i++) {
      try (SSLSocket socket = TlsClients.connect(port(), "db.example.com")) {
        assertThat(TlsClients.served(socket)).isEqualTo(DB_A.certificate());
      }
    }
    assertThat(fixture.admin("/metrics").body())
        .containsPattern("gantry_dataplane_passthrough_connect_failures_total [1-9]");
  }

  @Test
  void withNoEndpointUpTheClientConnectionCloses() {
    InetSocketAddress down = unusedPort();
    start();
    fixture.apply(snapshotWith(1, cluster("db", down)));

    assertThatThrownBy(() -> TlsClients.connect(port(), "db.example.com").close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void theClustersMaxConnectionsCapsOpenRelays() throws IOException {
    TlsBackend db = tlsBackend(DB_A);
    start();
    fixture.apply(
        snapshotWith(
            1,
            cluster("db", db.address()).toBuilder()
                .setCircuitBreakers(
                    dev.gantry.protocol.v1.CircuitBreakers.newBuilder().setMaxConnections(1))
                .build()));

    try (SSLSocket first = TlsClients.connect(port(), "db.example.com")) {
      assertThat(TlsClients.served(first)).isEqualTo(DB_A.certificate());
      assertThatThrownBy(() -> TlsClients.connect(port(), "db.example.com").close())
          .as("a second relay would exceed max_connections")
          .isInstanceOf(IOException.class);
    }
    await()
        .untilAsserted(
            () -> {
              try (SSLSocket again = TlsClients.connect(port(), "db.example.com")) {
                assertThat(TlsClients.served(again)).isEqualTo(DB_A.certificate());
              }
            });
  }

  @Test
  void aSlowReaderHoldsTheBackendBackAndStillGetsEveryByte() throws Exception {
    long total = 64L << 20;
    AtomicLong written = new AtomicLong();
    RawBackend backend =
        rawBackend(
            socket -> {
              try (socket) {
                readClientHello(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) {
                  chunk[i] = (byte) i;
                }
                while (written.get() < total) {
                  out.write(chunk);
                  written.addAndGet(chunk.length);
                }
              } catch (IOException e) {
                // the test failed elsewhere; nothing to add
              }
            });
    start();
    fixture.apply(snapshotWith(1, cluster("db", backend.address())));

    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port())) {
      client.getOutputStream().write(clientHello("db.example.com"));
      long[] last = {-1};
      await()
          .pollInterval(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                long now = written.get();
                boolean stalled = now > 0 && now == last[0];
                last[0] = now;
                return stalled;
              });
      assertThat(written.get())
          .as("the backend is held back while the client does not read")
          .isLessThan(total);

      InputStream in = client.getInputStream();
      byte[] buffer = new byte[8192];
      long read = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] != (byte) ((read + i) % (64 * 1024))) {
            throw new AssertionError("byte " + (read + i) + " differs");
          }
        }
        read += n;
      }
      assertThat(read).isEqualTo(total);
    }
  }

  @Test
  void aHalfCloseIsPassedOnAndTheAnswerStillArrives() throws Exception {
    RawBackend backend =
        rawBackend(
            socket -> {
              try (socket) {
                byte[] all = socket.getInputStream().readAllBytes(); // until the client's FIN
                socket
                    .getOutputStream()
                    .write(("got " + all.length + " bytes").getBytes(StandardCharsets.US_ASCII));
              } catch (IOException e) {
                // the test fails on the client side
              }
            });
    start();
    fixture.apply(snapshotWith(1, cluster("db", backend.address())));
    byte[] hello = clientHello("db.example.com");

    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port())) {
      client.setSoTimeout(10_000);
      client.getOutputStream().write(hello);
      client.getOutputStream().write("and more".getBytes(StandardCharsets.US_ASCII));
      client.shutdownOutput();

      String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("got " + (hello.length + "and more".length()) + " bytes");
    }
  }

  @Test
  void aNewSnapshotDoesNotCutAnOpenRelay() throws IOException {
    TlsBackend db = tlsBackend(DB_A);
    start();
    fixture.apply(snapshotWith(1, cluster("db", db.address())));

    try (SSLSocket socket = TlsClients.connect(port(), "db.example.com", "http/1.1");
        RawHttp client = RawHttp.over(socket)) {
      assertThat(client.get("db.example.com", "/before").body()).contains("path=/before");
      fixture.apply(
          snapshot(
              2,
              List.of(
                  withCertificate(
                      host("wild", List.of("*.example.com"), prefix("wild", "/", "web")),
                      "shop/wild")),
              List.of(cluster("web", http.address())),
              List.of(WILD.toProto())));

      assertThat(client.get("db.example.com", "/after").body()).contains("path=/after");
      try (SSLSocket fresh = TlsClients.connect(port(), "db.example.com")) {
        assertThat(TlsClients.served(fresh))
            .as("new connections follow the new snapshot")
            .isEqualTo(WILD.certificate());
      }
    }
  }

  @Test
  void anIdleRelayIsClosedAfterTheHostsIdleTimeout() throws IOException {
    TlsBackend db = tlsBackend(DB_A);
    start();
    fixture.apply(snapshotWith(1, Duration.ofSeconds(1), cluster("db", db.address())));
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger access = (Logger) LoggerFactory.getLogger("gantry.access");
    lines.start();
    access.addAppender(lines);
    try (SSLSocket socket = TlsClients.connect(port(), "db.example.com", "http/1.1")) {
      assertThat(socket.getInputStream().read())
          .as("closed by the proxy, unprompted")
          .isEqualTo(-1);
      await().until(() -> !lines.list.isEmpty());
    } finally {
      access.detachAppender(lines);
    }
    assertThat(lines.list.get(0).getFormattedMessage()).contains("\"end\":\"idle_timeout\"");
  }

  @Test
  void drainingForShutdownLeavesARelayOpenUntilTheDeadline() throws Exception {
    TlsBackend db = tlsBackend(DB_A);
    start(new DataplaneConfig.Shutdown(Duration.ZERO, Duration.ofSeconds(3)));
    fixture.apply(snapshotWith(1, cluster("db", db.address())));
    int port = port();

    try (SSLSocket socket = TlsClients.connect(port, "db.example.com", "http/1.1");
        RawHttp client = RawHttp.over(socket)) {
      assertThat(client.get("db.example.com", "/before").status()).isEqualTo(200);
      Thread closer = Thread.ofPlatform().start(fixture.dataplane::close);
      await()
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                      .isInstanceOf(java.net.ConnectException.class));

      assertThat(client.get("db.example.com", "/draining").body())
          .as("the relay still carries requests while the listener drains")
          .contains("path=/draining");
      closer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(closer.isAlive()).isFalse();
      assertThatThrownBy(() -> client.get("db.example.com", "/after"))
          .as("cut at the drain deadline")
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void eachRelayIsLoggedAndCounted() throws IOException {
    TlsBackend db = tlsBackend(DB_A);
    start();
    fixture.apply(snapshotWith(1, cluster("db", db.address())));
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger access = (Logger) LoggerFactory.getLogger("gantry.access");
    lines.start();
    access.addAppender(lines);
    try {
      try (SSLSocket socket = TlsClients.connect(port(), "db.example.com", "http/1.1");
          RawHttp client = RawHttp.over(socket)) {
        assertThat(client.get("db.example.com", "/logged").status()).isEqualTo(200);
      }
      await().until(() -> !lines.list.isEmpty());
    } finally {
      access.detachAppender(lines);
    }

    assertThat(lines.list.get(0).getFormattedMessage())
        .contains(
            "\"protocol\":\"tcp\"",
            "\"sni\":\"db.example.com\"",
            "\"route\":\"db\"",
            "\"backend\":\"db\"",
            "\"upstream\":\"127.0.0.1:" + db.address().getPort() + "\"")
        .as("the client's close_notify and FIN, then the backend's: a clean end either way")
        .containsPattern("\"end\":\"(closed|client_closed)\"")
        .containsPattern("\"request_bytes\":[1-9]")
        .containsPattern("\"response_bytes\":[1-9]");
    String metrics = fixture.admin("/metrics").body();
    assertThat(metrics)
        .contains("gantry_dataplane_passthrough_connections_total 1.0")
        .contains("gantry_dataplane_passthrough_connections_active 0.0")
        .containsPattern("gantry_dataplane_passthrough_bytes_total\\{direction=\"sent\"} [1-9]");
  }

  @Test
  void opensslAndCurlSeeTheBackend() throws Exception {
    assumeTrue(installed("openssl", "version"), "openssl not installed");
    assumeTrue(installed("curl", "--version"), "curl not installed");
    TlsBackend db = tlsBackend(DB_A);
    start();
    fixture.apply(snapshotWith(1, cluster("db", db.address())));

    Run openssl =
        run(
            "openssl",
            "s_client",
            "-connect",
            "127.0.0.1:" + port(),
            "-servername",
            "db.example.com");
    assertThat(openssl.output())
        .containsPattern("s: ?CN ?= ?db.example.com")
        .containsPattern("i: ?CN ?= ?backend-ca");

    Run curl =
        run(
            "curl",
            "-sk",
            "--http2",
            "--resolve",
            "db.example.com:" + port() + ":127.0.0.1",
            "https://db.example.com:" + port() + "/curl");
    assertThat(curl.output()).contains("sni=db.example.com", "alpn=h2", "path=/curl");
  }

  /** Returns a loopback address nothing listens on. */
  private static InetSocketAddress unusedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns the first TLS record a client sends: a ClientHello naming {@code serverName}. */
  private static byte[] clientHello(String serverName) throws IOException {
    SSLEngine engine = TlsClients.trustingAnyServer().createSSLEngine();
    engine.setUseClientMode(true);
    engine.setSSLParameters(TlsClients.parameters(serverName));
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.beginHandshake();
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  /** Reads one TLS record (the ClientHello) from {@code in}. */
  private static void readClientHello(InputStream in) throws IOException {
    byte[] header = in.readNBytes(5);
    int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
    in.readNBytes(length);
  }

  /** A plain TCP server on loopback that hands each accepted socket to {@code serve}. */
  private static final class RawBackend implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;

    RawBackend(Consumer<Socket> serve) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!server.isClosed()) {
                      try {
                        Socket socket = server.accept();
                        Thread.ofVirtual().start(() -> serve.accept(socket));
                      } catch (IOException e) {
                        return; // closed
                      }
                    }
                  });
    }

    InetSocketAddress address() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join();
    }
  }
}
