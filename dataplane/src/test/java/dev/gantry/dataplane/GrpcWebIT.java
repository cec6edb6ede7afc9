package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.h2cCluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.testing.GrpcEcho;
import dev.gantry.dataplane.testing.H2Frames;
import dev.gantry.dataplane.testing.RawH2;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.CorsPolicy;
import dev.gantry.protocol.v1.Toggle;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC-Web calls framed by the test, over HTTP/1.1 and HTTP/2, translated by the proxy for a
 * grpc-java backend: binary and text modes, a server stream, errors, and what is not translated.
 */
class GrpcWebIT {

  private static final String HOST = "web.example.com";
  private static final String PROTO = "application/grpc-web+proto";
  private static final String TEXT = "application/grpc-web-text+proto";

  private GrpcEcho backend;
  private DataplaneFixture fixture;

  @BeforeEach
  void setUp() throws IOException {
    backend = GrpcEcho.start("a", new AtomicInteger());
    fixture = DataplaneFixture.start();
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    backend.close();
  }

  private void route(Cluster cluster) {
    fixture.apply(
        snapshot(
            1, List.of(host("web", List.of(HOST), prefix("web", "/", "echo"))), List.of(cluster)));
  }

  /** One gRPC-Web message: flag, big-endian length, payload. */
  private static byte[] message(int flag, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length)
        .put((byte) flag)
        .putInt(payload.length)
        .put(payload)
        .array();
  }

  private static byte[] message(String payload) {
    return message(0, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** A response body split into its messages; a trailers message is flagged 0x80. */
  private record Message(int flag, String payload) {
    boolean trailers() {
      return (flag & 0x80) != 0;
    }
  }

  private static List<Message> messages(byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    List<Message> messages = new ArrayList<>();
    while (in.hasRemaining()) {
      int flag = in.get() & 0xFF;
      byte[] payload = new byte[in.getInt()];
      in.get(payload);
      messages.add(new Message(flag, new String(payload, StandardCharsets.ISO_8859_1)));
    }
    return messages;
  }

  private HttpResponse<byte[]> call(String method, String contentType, byte[] body) {
    return call(method, contentType, body, null);
  }

  private HttpResponse<byte[]> call(String method, String contentType, byte[] body, String origin) {
    HttpRequest.Builder request =
        fixture
            .request(HOST, "/gantry.test.Echo/" + method)
            .header("content-type", contentType)
            .header("x-grpc-web", "1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (origin != null) {
      request.header("Origin", origin);
    }
    try {
      return fixture.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBinaryUnaryCallOverHttp11GetsTheMessageThenTheTrailersAsAMessage() {
    route(h2cCluster("echo", backend.address()));

    HttpResponse<byte[]> response = call("Unary", PROTO, message("hi"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue(PROTO);
    List<Message> messages = messages(response.body());
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0)).isEqualTo(new Message(0, "a:hi"));
    assertThat(messages.get(1).trailers()).isTrue();
    assertThat(messages.get(1).payload()).contains("grpc-status: 0\r\n");
  }

  @Test
  void theTextModeIsBase64BothWays() {
    route(h2cCluster("echo", backend.address()));
    // Two separately padded base64 strings, as a client may send a body in pieces.
    byte[] first = message("hello");
    String body =
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(first, 4))
            + Base64.getEncoder()
                .encodeToString(java.util.Arrays.copyOfRange(first, 4, first.length));

    HttpResponse<byte[]> response = call("Unary", TEXT, body.getBytes(StandardCharsets.US_ASCII));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue(TEXT);
    List<Message> messages = messages(Base64.getDecoder().decode(response.body()));
    assertThat(messages.get(0)).isEqualTo(new Message(0, "a:hello"));
    assertThat(messages.get(1).payload()).contains("grpc-status: 0");
  }

  @Test
  void aServerStreamInTextModeArrivesWholeWithItsTrailers() {
    route(h2cCluster("echo", backend.address()));
    byte[] request = Base64.getEncoder().encode(message("50 1000")); // 50 messages of about 1 KB

    HttpResponse<byte[]> response = call("ServerStream", TEXT, request);

    List<Message> messages = messages(Base64.getDecoder().decode(response.body()));
    assertThat(messages).hasSize(51);
    assertThat(messages.get(49).payload()).startsWith("49:xxx");
    Message trailers = messages.get(50);
    assertThat(trailers.trailers()).isTrue();
    assertThat(trailers.payload())
        .contains("grpc-status: 10\r\n", "grpc-message: done\r\n", "x-detail: sent 50\r\n");
  }

  @Test
  void aBackendErrorBeforeAnyMessageComesInTheHeaders() {
    route(h2cCluster("echo", backend.address()));

    HttpResponse<byte[]> response = call("Fail", PROTO, message("42"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue(PROTO);
    assertThat(response.headers().firstValue("grpc-status")).hasValue("5");
    assertThat(response.headers().firstValue("grpc-message")).hasValue("no such item");
    assertThat(response.headers().firstValue("x-detail")).hasValue("about 42");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void theProxysOwnErrorsAreGrpcWebStatuses() {
    route(cluster("echo")); // no endpoint

    HttpResponse<byte[]> response = call("Unary", TEXT, Base64.getEncoder().encode(message("x")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue(TEXT);
    assertThat(response.headers().firstValue("grpc-status")).as("UNAVAILABLE").hasValue("14");
    assertThat(response.headers().firstValue("grpc-message")).hasValue("no healthy upstream");
  }

  @Test
  void aTextBodyThatIsNotBase64IsRefused() {
    route(h2cCluster("echo", backend.address()));

    HttpResponse<byte[]> response =
        call("Unary", TEXT, "not base64!".getBytes(StandardCharsets.US_ASCII));

    assertThat(response.headers().firstValue("grpc-status")).as("INTERNAL").hasValue("13");
  }

  @Test
  void aCallOverHttp2IsTranslatedToo() throws Exception {
    route(h2cCluster("echo", backend.address()));
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .authority(HOST)
            .path("/gantry.test.Echo/Unary")
            .set("content-type", PROTO);

    try (RawH2 raw = new RawH2(fixture.dataplane.httpPort())) {
      raw.send(raw.frames.headers(1, headers, false));
      byte[] body = message("h2");
      raw.send(
          raw.frames.encode(
              (w, ctx, p) -> w.writeData(ctx, 1, Unpooled.wrappedBuffer(body), 0, true, p)));
      H2Frames.Log log = raw.readUntil(l -> l.endStreams >= 1);

      assertThat(log.headers.get(1).get("content-type")).hasToString(PROTO);
      assertThat(log.trailers).as("trailers travel in the body").doesNotContainKey(1);
      List<Message> messages = messages(log.bodyBytesOf(1));
      assertThat(messages.get(0)).isEqualTo(new Message(0, "a:h2"));
      assertThat(messages.get(1).payload()).contains("grpc-status: 0");
    }
  }

  @Test
  void aBackendSpokenToOverHttp11GetsTheCallAsItCame() {
    try (TestBackend http1 = TestBackend.start("web")) {
      route(cluster("echo", http1.address()));

      HttpResponse<byte[]> response = call("Unary", PROTO, message("hi"));

      assertThat(new String(response.body(), StandardCharsets.ISO_8859_1))
          .contains("header content-type: " + PROTO);
    }
  }

  @Test
  void aBrowserFromAnAllowedOriginMayReadTheStatus() {
    fixture.apply(
        snapshot(
            1,
            List.of(
                host(
                    "web",
                    List.of(HOST),
                    prefix("web", "/", "echo").toBuilder()
                        .setCors(CorsPolicy.newBuilder().addAllowOrigins("https://app.example"))
                        .build())),
            List.of(h2cCluster("echo", backend.address()))));

    HttpResponse<byte[]> response = call("Unary", PROTO, message("hi"), "https://app.example");

    assertThat(response.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://app.example");
    assertThat(response.headers().firstValue("access-control-expose-headers"))
        .hasValue("grpc-status, grpc-message");
  }

  @Test
  void aRouteWithGrpcWebOffPassesTheCallOnUntranslated() {
    fixture.apply(
        snapshot(
            1,
            List.of(
                host(
                    "web",
                    List.of(HOST),
                    prefix("web", "/", "echo").toBuilder().setGrpcWeb(Toggle.TOGGLE_OFF).build())),
            List.of(h2cCluster("echo", backend.address()))));

    HttpResponse<byte[]> response = call("Unary", PROTO, message("hi"));

    assertThat(response.statusCode())
        .as("grpc-java refuses application/grpc-web: Unsupported Media Type")
        .isEqualTo(415);
  }
}
