package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.h2cCluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.testing.H2Frames;
import dev.gantry.dataplane.testing.H2cBackend;
import dev.gantry.dataplane.testing.RawH2;
import dev.gantry.dataplane.testing.TestBackend;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clusters spoken to over cleartext HTTP/2 (h2c): HTTP/1.1 and HTTP/2 clients through the proxy to
 * a Netty h2c backend on loopback.
 */
class H2cUpstreamIT {

  private static final int LARGE = 20 * 1024 * 1024;

  private final DataplaneFixture fixture = DataplaneFixture.start();
  private final HttpClient http1 =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final HttpClient http2 =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
  private H2cBackend backend;

  private void serve(H2cBackend started) {
    backend = started;
    fixture.apply(
        snapshot(
            1,
            List.of(host("any", List.of("*"), prefix("all", "/", "grpc"))),
            List.of(h2cCluster("grpc", backend.address()))));
  }

  @AfterEach
  void tearDown() {
    http1.close();
    http2.close();
    fixture.close();
    if (backend != null) {
      backend.close();
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + fixture.dataplane.httpPort() + path))
        .timeout(Duration.ofSeconds(20));
  }

  @Test
  void forwardsAnHttp1RequestOverH2c() throws Exception {
    serve(H2cBackend.start("b"));

    HttpResponse<String> response =
        http1.send(request("/items?id=7").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("protocol=h2c\n", "method=GET\n", "uri=/items?id=7\n")
        .contains(
            "header x-forwarded-proto: http\n", "header x-request-id: ", "header te: trailers\n")
        .doesNotContain("header connection", "header keep-alive");
    assertThat(response.headers().map()).doesNotContainKeys("x-http2-stream-id");
    assertThat(response.headers().firstValue("x-backend")).hasValue("b");
  }

  @Test
  void passesTrailersBothWaysForAnHttp2Client() throws Exception {
    serve(H2cBackend.start("b"));
    try (RawH2 raw = new RawH2(fixture.dataplane.httpPort())) {
      raw.send(raw.frames.headers(1, post("/echo"), false));
      raw.send(
          raw.frames.encode(
              (w, ctx, p) ->
                  w.writeData(
                      ctx, 1, Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8), 0, false, p)));
      raw.send(
          raw.frames.headers(1, new DefaultHttp2Headers().add("x-client-trailer", "sent"), true));

      H2Frames.Log log = raw.readUntil(l -> l.endStreams >= 1);

      assertThat(log.headers.get(1).status().toString()).isEqualTo("200");
      assertThat(log.headers.get(1).names())
          .map(CharSequence::toString)
          .doesNotContain("x-http2-stream-id", "transfer-encoding", "connection");
      assertThat(log.body(1)).contains("protocol=h2c\n", "body-bytes=4\n");
      assertThat(log.trailers.get(1).get("x-trailer")).hasToString("done");
      assertThat(log.trailers.get(1).get("x-echo-x-client-trailer")).hasToString("sent");
    }
  }

  @Test
  void multiplexesConcurrentRequestsOnOneConnection() throws Exception {
    serve(H2cBackend.start("b"));
    http2.send(request("/warm-up").GET().build(), HttpResponse.BodyHandlers.ofString());

    List<CompletableFuture<HttpResponse<String>>> responses =
        IntStream.range(0, 20)
            .mapToObj(
                i ->
                    http2.sendAsync(
                        request("/held/" + i).GET().build(), HttpResponse.BodyHandlers.ofString()))
            .toList();
    await().until(() -> backend.heldRequests() == 20);
    backend.releaseHeld();

    for (int i = 0; i < responses.size(); i++) {
      assertThat(responses.get(i).get().body()).contains("uri=/held/" + i + "\n");
    }
    assertThat(backend.connections()).isEqualTo(1);
    assertThat(backend.maxConcurrentStreams()).isEqualTo(20);
    assertThat(fixture.admin("/metrics").body())
        .contains("gantry_dataplane_upstream_connections_open{protocol=\"h2c\"} 1.0");
  }

  @Test
  void opensASecondConnectionAtThePeersStreamLimit() throws Exception {
    serve(H2cBackend.start("b", 1));
    http2.send(request("/warm-up").GET().build(), HttpResponse.BodyHandlers.ofString());

    List<CompletableFuture<HttpResponse<String>>> responses =
        IntStream.range(0, 2)
            .mapToObj(
                i ->
                    http2.sendAsync(
                        request("/held/" + i).GET().build(), HttpResponse.BodyHandlers.ofString()))
            .toList();
    await().until(() -> backend.heldRequests() == 2);
    backend.releaseHeld();

    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertThat(response.get().statusCode()).isEqualTo(200);
    }
    assertThat(backend.connections()).isEqualTo(2);
    assertThat(backend.maxConcurrentStreams()).isEqualTo(1);
  }

  @Test
  void finishesStartedRequestsAfterGoAwayAndSendsNewOnesOnANewConnection() throws Exception {
    serve(H2cBackend.start("b"));
    // One client connection, hence one event loop and one upstream connection to begin with.
    http2.send(request("/warm-up").GET().build(), HttpResponse.BodyHandlers.ofString());
    List<CompletableFuture<HttpResponse<String>>> inFlight =
        IntStream.range(0, 3)
            .mapToObj(
                i ->
                    http2.sendAsync(
                        request("/held/" + i).GET().build(), HttpResponse.BodyHandlers.ofString()))
            .toList();
    await().until(() -> backend.heldRequests() == 3);

    backend.goAway();
    await()
        .until(
            () ->
                fixture
                    .admin("/metrics")
                    .body()
                    .contains("gantry_dataplane_upstream_goaways_total{protocol=\"h2c\"} 1.0"));
    List<HttpResponse<String>> after =
        IntStream.range(0, 5)
            .mapToObj(
                i -> {
                  try {
                    return http2.send(
                        request("/after/" + i).GET().build(), HttpResponse.BodyHandlers.ofString());
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                })
            .toList();
    backend.releaseHeld();

    for (HttpResponse<String> response : after) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-connection")).hasValue("2");
    }
    for (CompletableFuture<HttpResponse<String>> response : inFlight) {
      assertThat(response.get().statusCode()).isEqualTo(200);
      assertThat(response.get().headers().firstValue("x-connection")).hasValue("1");
    }
    // The proxy closes the connection that went away once its last stream has finished.
    await().until(() -> backend.openConnections() == 1);
  }

  @Test
  void sendsARefusedStreamAgainWithItsBody() throws Exception {
    serve(H2cBackend.start("b"));

    HttpResponse<String> response =
        http1.send(
            request("/refuse-once/a").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("uri=/refuse-once/a\n", "body-bytes=5\n");
    assertThat(backend.received()).containsExactly("POST /refuse-once/a", "POST /refuse-once/a");
  }

  @Test
  void sendsAStreamAboveAGoAwaysLastStreamAgainOnANewConnection() throws Exception {
    serve(H2cBackend.start("b"));
    http2.send(request("/warm-up").GET().build(), HttpResponse.BodyHandlers.ofString());

    HttpResponse<String> response =
        http2.send(request("/goaway-once/a").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-connection")).hasValue("2");
    // The proxy closes the connection that went away: its only stream was refused.
    await().until(() -> backend.openConnections() == 1);
  }

  @Test
  void streamsALargeDownloadIntact() throws Exception {
    serve(H2cBackend.start("b"));

    HttpResponse<InputStream> response =
        http1.send(
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
    assertThat(length).isEqualTo(LARGE);
    assertThat(received.digest()).isEqualTo(expected.digest());
  }

  @Test
  void streamsALargeUploadIntact() throws Exception {
    serve(H2cBackend.start("b"));
    byte[] body = new byte[LARGE];
    for (int i = 0; i < LARGE; i++) {
      body[i] = TestBackend.pattern(i);
    }
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

    HttpResponse<String> response =
        http1.send(
            request("/upload").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.body())
        .contains("body-bytes=" + LARGE + "\n", "body-sha256=" + digest + "\n");
  }

  @Test
  void stopsReadingTheBackendStreamWhileASlowClientHoldsItsWindow() throws Exception {
    serve(H2cBackend.start("b"));
    try (RawH2 raw = new RawH2(fixture.dataplane.httpPort())) {
      // The client never sends WINDOW_UPDATE: the proxy may send it 64 KiB.
      raw.send(raw.frames.headers(1, get("/bytes/" + LARGE), true));
      raw.readUntil(l -> l.bodyBytes(1) >= 65_535);

      // The backend's stream stalls once the proxy stops reading it: its window, not the socket,
      // bounds what it can send.
      long[] last = {-1};
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                long now = backend.bytesStreamed();
                boolean stalled = now == last[0];
                last[0] = now;
                return stalled;
              });
      assertThat(backend.bytesStreamed()).isLessThan(1024 * 1024);
    }
  }

  private static Http2Headers get(String path) {
    return new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority("any");
  }

  private static Http2Headers post(String path) {
    return new DefaultHttp2Headers().method("POST").scheme("http").path(path).authority("any");
  }
}
