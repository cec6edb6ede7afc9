package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.split;
import static dev.gantry.dataplane.testing.Snapshots.weighted;
import static dev.gantry.dataplane.testing.Snapshots.withBodyLimit;
import static dev.gantry.dataplane.testing.Snapshots.withTimeout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.pipeline.TrustedProxies;
import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.ScriptedBackend;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.Route;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy as a client sees it: real sockets, real backends, snapshots from a fake operator. */
class ProxyIT {

  private static final int LARGE = 20 * 1024 * 1024;

  private final TestBackend a = TestBackend.start("a");
  private final TestBackend b = TestBackend.start("b");
  private final DataplaneFixture fixture = DataplaneFixture.start();

  @AfterEach
  void tearDown() {
    fixture.close();
    a.close();
    b.close();
  }

  private void serve(List<Cluster> clusters, Route... shopRoutes) {
    fixture.apply(
        snapshot(
            1,
            List.of(
                host("shop", List.of("shop.example.com"), shopRoutes),
                host("org", List.of("*.example.org"), prefix("org", "/", "b"))),
            clusters));
  }

  private void serve(Route... shopRoutes) {
    serve(List.of(cluster("a", a.address()), cluster("b", b.address())), shopRoutes);
  }

  private static String backendOf(HttpResponse<?> response) {
    return response.headers().firstValue("x-backend").orElse("none");
  }

  @Test
  void routesByHostAndPathToTheMatchingBackend() {
    serve(prefix("api", "/api", "a"), prefix("rest", "/", "b"));

    HttpResponse<String> api = fixture.get("shop.example.com", "/api/items?id=7");

    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).contains("backend=a\n", "method=GET\n", "uri=/api/items?id=7\n");
    assertThat(backendOf(fixture.get("shop.example.com", "/apix"))).isEqualTo("b");
    assertThat(backendOf(fixture.get("SHOP.example.com:8080", "/api"))).isEqualTo("a");
    assertThat(backendOf(fixture.get("www.example.org", "/api"))).isEqualTo("b");
  }

  @Test
  void replacesTheForwardedHeadersOfAnUntrustedClient() {
    serve(prefix("api", "/", "a"));

    HttpResponse<String> response =
        fixture.send(
            fixture
                .request("shop.example.com:8080", "/")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-Proto", "https")
                .header("X-Request-Id", "chosen-by-client")
                .GET()
                .build());

    assertThat(response.body())
        .contains(
            "header x-forwarded-for: 127.0.0.1\n",
            "header x-forwarded-proto: http\n",
            "header x-forwarded-host: shop.example.com:8080\n",
            "header host: shop.example.com:8080\n")
        .containsPattern("header x-request-id: [0-9a-f]{32}\n")
        .doesNotContain("203.0.113.9", "https", "chosen-by-client");
  }

  @Test
  void keepsTheForwardedHeadersOfATrustedProxy() {
    try (DataplaneFixture trusting =
        DataplaneFixture.start(
            config -> config.withTrustedProxies(TrustedProxies.of(List.of("127.0.0.0/8"))))) {
      trusting.apply(
          snapshot(
              1,
              List.of(host("shop", List.of("shop.example.com"), prefix("api", "/", "a"))),
              List.of(cluster("a", a.address()))));

      HttpResponse<String> response =
          trusting.send(
              trusting
                  .request("shop.example.com", "/")
                  .header("X-Forwarded-For", "203.0.113.9")
                  .header("X-Forwarded-Proto", "https")
                  .header("X-Request-Id", "from-the-edge")
                  .GET()
                  .build());

      assertThat(response.body())
          .contains(
              "header x-forwarded-for: 203.0.113.9, 127.0.0.1\n",
              "header x-forwarded-proto: https\n",
              "header x-request-id: from-the-edge\n");
    }
  }

  @Test
  void spreadsRequestsRoundRobinAcrossTheEndpointsOfACluster() {
    serve(
        List.of(cluster("both", a.address(), b.address()), cluster("b", b.address())),
        prefix("all", "/", "both"));

    List<String> backends = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      backends.add(backendOf(fixture.get("shop.example.com", "/")));
    }

    assertThat(backends).containsExactly("a", "b", "a", "b", "a", "b");
  }

  @Test
  void splitsTrafficAcrossWeightedClusters() {
    serve(split("canary", "/", weighted("a", 3), weighted("b", 1)));

    List<String> backends = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      backends.add(backendOf(fixture.get("shop.example.com", "/")));
    }
    Map<String, Long> counts =
        backends.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

    assertThat(counts).containsEntry("a", 6L).containsEntry("b", 2L);
  }

  @Test
  void resolvesEndpointsGivenAsDnsNames() {
    InetSocketAddress byName =
        InetSocketAddress.createUnresolved("localhost", a.address().getPort());
    serve(
        List.of(cluster("named", byName), cluster("b", b.address())), prefix("all", "/", "named"));

    HttpResponse<String> response = fixture.get("shop.example.com", "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(backendOf(response)).isEqualTo("a");
  }

  @Test
  void answers404WhenNoRouteMatches() {
    serve(prefix("api", "/api", "a"));

    HttpResponse<String> unknownHost = fixture.get("nowhere.example.com", "/api");
    HttpResponse<String> unknownPath = fixture.get("shop.example.com", "/other");

    assertThat(unknownHost.statusCode()).isEqualTo(404);
    assertThat(unknownHost.body()).isEqualTo("no route");
    assertThat(unknownPath.statusCode()).isEqualTo(404);
  }

  @Test
  void answers503ForAClusterWithoutEndpoints() {
    serve(List.of(cluster("empty"), cluster("b", b.address())), prefix("all", "/", "empty"));

    HttpResponse<String> response = fixture.get("shop.example.com", "/");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("no healthy upstream");
  }

  @Test
  void answers502WhenTheEndpointRefusesConnections() throws IOException {
    InetSocketAddress closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = (InetSocketAddress) socket.getLocalSocketAddress();
    }
    serve(
        List.of(cluster("gone", closedPort), cluster("b", b.address())),
        prefix("all", "/", "gone"));

    HttpResponse<String> response = fixture.get("shop.example.com", "/");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo("upstream connect error");
  }

  @Test
  void answersDirectResponsesItself() {
    serve(direct("moved", "/old", 410, "gone for good"), prefix("rest", "/", "a"));

    HttpResponse<String> response = fixture.get("shop.example.com", "/old/page");

    assertThat(response.statusCode()).isEqualTo(410);
    assertThat(response.body()).isEqualTo("gone for good");
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void answers504WhenTheBackendMissesTheRouteTimeout() throws IOException {
    try (ScriptedBackend silent = ScriptedBackend.silent()) {
      serve(
          List.of(cluster("silent", silent.address()), cluster("b", b.address())),
          withTimeout(prefix("slow", "/", "silent"), Duration.ofMillis(300)));

      HttpResponse<String> response = fixture.get("shop.example.com", "/");

      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(response.body()).isEqualTo("upstream request timeout");
    }
  }

  @Test
  void streamsALargeChunkedUploadIntact() throws Exception {
    serve(prefix("all", "/", "a"));
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    HttpRequest upload =
        fixture
            .request("shop.example.com", "/upload")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(LARGE, expected)))
            .build();

    HttpResponse<String> response = fixture.send(upload);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("body-bytes=" + LARGE + "\n", "header transfer-encoding: chunked\n")
        .contains("body-sha256=" + HexFormat.of().formatHex(expected.digest()) + "\n");
  }

  @Test
  void streamsALargeDownloadIntact() throws Exception {
    serve(prefix("all", "/", "a"));

    HttpResponse<InputStream> response =
        fixture.client.send(
            fixture.request("shop.example.com", "/bytes/" + LARGE).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    long received = 0;
    long mismatches = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        for (int i = 0; i < n; i++) {
          mismatches += buffer[i] == TestBackend.pattern(received + i) ? 0 : 1;
        }
        received += n;
      }
    }
    assertThat(received).isEqualTo(LARGE);
    assertThat(mismatches).isZero();
  }

  @Test
  void reusesTheUpstreamConnectionForSequentialRequests() {
    serve(prefix("all", "/", "a"));

    String firstPort =
        fixture.get("shop.example.com", "/").headers().firstValue("x-peer-port").orElseThrow();
    String secondPort =
        fixture.get("shop.example.com", "/").headers().firstValue("x-peer-port").orElseThrow();

    assertThat(secondPort).isEqualTo(firstPort);
  }

  @Test
  void closesTheClientConnectionWhenTheBackendDiesMidResponse() throws IOException {
    try (ScriptedBackend dying =
        ScriptedBackend.answersThenCloses(
            "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", "only ten!!")) {
      serve(
          List.of(cluster("dying", dying.address()), cluster("b", b.address())),
          prefix("all", "/", "dying"));

      try (RawHttp raw = RawHttp.connect(fixture.dataplane.httpPort())) {
        raw.send("GET / HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
        String received = new String(raw.readUntilClosed(), StandardCharsets.ISO_8859_1);

        assertThat(received).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nonly ten!!");
      }
    }
  }

  @Test
  void answers502WhenTheBackendClosesBeforeAnswering() throws IOException {
    try (ScriptedBackend hangsUp =
        ScriptedBackend.start(
            socket -> {
              ScriptedBackend.readRequestHead(socket.getInputStream());
              socket.close();
            })) {
      serve(
          List.of(cluster("rude", hangsUp.address()), cluster("b", b.address())),
          prefix("all", "/", "rude"));

      HttpResponse<String> response = fixture.get("shop.example.com", "/");

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.body()).isEqualTo("upstream connection reset");
    }
  }

  /**
   * {@code length} bytes of {@link TestBackend#pattern}, fed to {@code digest} as they are read.
   */
  private static final class PatternStream extends InputStream {

    private final long length;
    private final MessageDigest digest;
    private long position;

    PatternStream(long length, MessageDigest digest) {
      this.length = length;
      this.digest = digest;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int max) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(max, length - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = TestBackend.pattern(position + i);
      }
      digest.update(buffer, offset, n);
      position += n;
      return n;
    }
  }

  @Test
  void answers413WhenAStreamedBodyPassesTheRouteLimit() throws IOException {
    serve(withBodyLimit(prefix("upload", "/", "a"), 1000));

    try (RawHttp client = RawHttp.connect(fixture.dataplane.httpPort())) {
      client.send(
          "POST /upload HTTP/1.1\r\nHost: shop.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "3e8\r\n"
              + "x".repeat(1000)
              + "\r\n1\r\nx\r\n");
      RawHttp.Response response = client.read();

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(client.readUntilClosed()).isEmpty();
    }
    assertThat(fixture.get("shop.example.com", "/after").statusCode()).isEqualTo(200);
  }
}
