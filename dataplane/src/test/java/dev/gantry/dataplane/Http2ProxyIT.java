package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.testing.H2Frames;
import dev.gantry.dataplane.testing.RawH2;
import dev.gantry.dataplane.testing.TestBackend;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 clients on the cleartext port: the JDK client (which upgrades with {@code Upgrade: h2c})
 * and raw prior-knowledge frames, against real loopback backends.
 */
class Http2ProxyIT {

  private static final int LARGE = 20 * 1024 * 1024;

  private final TestBackend a = TestBackend.start("a");
  private final DataplaneFixture fixture = DataplaneFixture.start();
  private final HttpClient h2 =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_2)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeEach
  void setUp() {
    fixture.apply(
        snapshot(
            1,
            List.of(
                host(
                    "shop",
                    List.of("shop.example.com"),
                    prefix("empty", "/empty", "empty"),
                    direct("hello", "/hello", 200, "hello over h2"),
                    prefix("all", "/", "a")),
                host("any", List.of("*"), prefix("rest", "/", "a"))),
            List.of(cluster("a", a.address()), cluster("empty"))));
  }

  @AfterEach
  void tearDown() {
    h2.close();
    fixture.close();
    a.close();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .timeout(Duration.ofSeconds(20));
  }

  private int port() {
    return fixture.dataplane.httpPort();
  }

  @Test
  void upgradesTheJdkClientAndForwardsItsRequests() throws Exception {
    HttpResponse<String> response =
        h2.send(request("/items?id=7").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("backend=a\n", "uri=/items?id=7\n", "header x-forwarded-proto: http\n")
        .doesNotContain("x-http2-");
  }

  @Test
  void upgradesARequestWithAChosenHost() throws Exception {
    HttpResponse<String> response =
        h2.send(
            request("/hello").header("Host", "shop.example.com").GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.body()).isEqualTo("hello over h2");
  }

  @Test
  void multiplexesConcurrentRequestsOverOneConnection() throws Exception {
    h2.send(request("/").GET().build(), HttpResponse.BodyHandlers.ofString()); // upgrade first

    List<CompletableFuture<HttpResponse<String>>> responses =
        IntStream.range(0, 50)
            .mapToObj(
                i ->
                    h2.sendAsync(
                        request("/n/" + i).GET().build(), HttpResponse.BodyHandlers.ofString()))
            .toList();

    for (int i = 0; i < responses.size(); i++) {
      HttpResponse<String> response = responses.get(i).get();
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(response.body()).contains("uri=/n/" + i + "\n");
    }
    assertThat(fixture.admin("/metrics").body())
        .contains("gantry_dataplane_downstream_connections_active 1.0");
  }

  @Test
  void streamsALargeUploadIntact() throws Exception {
    h2.send(request("/").GET().build(), HttpResponse.BodyHandlers.ofString()); // upgrade first
    byte[] body = new byte[LARGE];
    for (int i = 0; i < LARGE; i++) {
      body[i] = TestBackend.pattern(i);
    }
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

    HttpResponse<String> response =
        h2.send(
            request("/upload").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.body())
        .contains("body-bytes=" + LARGE + "\n", "body-sha256=" + digest + "\n");
  }

  @Test
  void streamsALargeDownloadIntact() throws Exception {
    HttpResponse<InputStream> response =
        h2.send(
            request("/bytes/" + LARGE).GET().build(), HttpResponse.BodyHandlers.ofInputStream());

    MessageDigest received = MessageDigest.getInstance("SHA-256");
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    long length = 0;
    try (InputStream in = new DigestInputStream(response.body(), received)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        length += n;
      }
    }
    for (long i = 0; i < LARGE; i++) {
      expected.update(TestBackend.pattern(i));
    }
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(length).isEqualTo(LARGE);
    assertThat(received.digest()).isEqualTo(expected.digest());
  }

  @Test
  void routesByAuthorityAndAnswersLocalResponsesOverPriorKnowledge() throws Exception {
    try (RawH2 raw = new RawH2(port())) {
      raw.send(raw.frames.headers(1, get("shop.example.com", "/hello"), true));
      raw.send(raw.frames.headers(3, get("shop.example.com", "/empty"), true));
      raw.send(raw.frames.headers(5, get("nowhere.example.com", "/"), true));
      raw.send(raw.frames.headers(7, get("shop.example.com", "/bytes/10"), true));
      H2Frames.Log log = raw.readUntil(l -> l.endStreams >= 4);

      assertThat(log.headers.get(1).status().toString()).isEqualTo("200");
      assertThat(log.body(1)).isEqualTo("hello over h2");
      assertThat(log.headers.get(3).status().toString()).isEqualTo("503");
      assertThat(log.headers.get(5).status().toString()).isEqualTo("200"); // the "*" host
      assertThat(log.headers.get(7).status().toString()).isEqualTo("200");
      assertThat(log.bodyBytes(7)).isEqualTo(10);
      for (Http2Headers headers : log.headers.values()) {
        // RFC 9113 §8.2.2: the backend's chunked framing and keep-alive stay on its side
        assertThat(headers.names())
            .map(CharSequence::toString)
            .doesNotContain(
                "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");
      }
    }
  }

  @Test
  void stopsReadingTheBackendWhileASlowClientHoldsItsWindow() throws Exception {
    try (RawH2 raw = new RawH2(port())) {
      // The client never sends WINDOW_UPDATE: the proxy may send it 64 KiB (the default window).
      raw.send(raw.frames.headers(1, get("shop.example.com", "/bytes/" + LARGE), true));
      raw.readUntil(l -> l.bodyBytes(1) >= 65_535);

      // The backend stalls once the proxy stops reading it and the socket buffers are full.
      long[] last = {-1};
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                long now = a.bytesStreamed();
                boolean stalled = now == last[0];
                last[0] = now;
                return stalled;
              });
      assertThat(a.bytesStreamed()).isLessThan(LARGE / 2);
    }
  }

  /**
   * Repeated because it once seemed to stall short of the window in about half of the runs: the
   * proxy had in fact sent the whole window, and the test's frame reader lost a frame split across
   * two socket reads (see H2FramesTest).
   */
  @RepeatedTest(6)
  void sendsAWholeWindowToASlowClientBeforePausing() throws Exception {
    try (RawH2 raw = new RawH2(port())) {
      raw.send(raw.frames.headers(1, get("shop.example.com", "/bytes/" + LARGE), true));

      H2Frames.Log log = raw.readUntil(l -> l.bodyBytes(1) >= 65_535);

      assertThat(log.bodyBytes(1)).isEqualTo(65_535);
    }
  }

  @Test
  void resetsAStreamThatGetsHeadersAfterItsEnd() throws Exception {
    try (RawH2 raw = new RawH2(port())) {
      ByteBuf twice = raw.frames.headers(1, get("shop.example.com", "/bytes/10"), true);
      twice.writeBytes(raw.frames.headers(1, get("shop.example.com", "/bytes/10"), true));
      raw.send(twice);

      H2Frames.Log log = raw.readUntil(l -> l.resets.containsKey(1) || l.goAwayError >= 0);

      // RFC 9113 §5.1 "half-closed (remote)": a stream error of type STREAM_CLOSED
      assertThat(log.resets.get(1)).isEqualTo(Http2Error.STREAM_CLOSED.code());
    }
  }

  @Test
  void closesTheConnectionOnHeadersForAClosedStream() throws Exception {
    try (RawH2 raw = new RawH2(port())) {
      raw.send(raw.frames.headers(3, get("shop.example.com", "/hello"), true));
      raw.readUntil(l -> l.endStreams == 1);

      raw.send(raw.frames.headers(3, get("shop.example.com", "/hello"), true));
      H2Frames.Log log = raw.readUntil(l -> l.goAwayError >= 0);
      assertThat(log.goAwayError).isEqualTo(Http2Error.STREAM_CLOSED.code());
    }
  }

  @Test
  void closesTheConnectionOnAStreamIdBelowTheLastOne() throws Exception {
    try (RawH2 raw = new RawH2(port())) {
      ByteBuf frames = raw.frames.headers(5, get("shop.example.com", "/hello"), true);
      frames.writeBytes(raw.frames.headers(3, get("shop.example.com", "/hello"), true));
      raw.send(frames);

      H2Frames.Log log = raw.readUntil(l -> l.goAwayError >= 0);
      assertThat(log.goAwayError).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
      assertThat(log.headers).doesNotContainKey(3);
    }
  }

  @Test
  void answers404WhenNoRouteMatchesOverUpgrade() throws Exception {
    fixture.apply(
        snapshot(
            2,
            List.of(host("shop", List.of("shop.example.com"), prefix("all", "/", "a"))),
            List.of(cluster("a", a.address()))));

    HttpResponse<String> response =
        h2.send(request("/").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("no route");
  }

  @Test
  void refusesStreamsBeyondTheAdvertisedLimit() throws Exception {
    try (RawH2 raw = new RawH2(port())) {
      // Requests that never end keep their streams open: the proxy answers, then waits for the
      // rest of the body.
      for (int i = 0; i <= 100; i++) {
        raw.send(raw.frames.headers(1 + 2 * i, post("shop.example.com", "/hello"), false));
      }
      H2Frames.Log log = raw.readUntil(l -> !l.resets.isEmpty() && l.headers.size() >= 100);

      assertThat(log.settings.getFirst().maxConcurrentStreams()).isEqualTo(100);
      assertThat(log.resets).containsOnlyKeys(201);
      assertThat(log.resets.get(201)).isEqualTo(Http2Error.REFUSED_STREAM.code());
      assertThat(log.headers).hasSize(100);
    }
  }

  private static Http2Headers get(String authority, String path) {
    return new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority(authority);
  }

  private static Http2Headers post(String authority, String path) {
    return new DefaultHttp2Headers().method("POST").scheme("http").path(path).authority(authority);
  }
}
