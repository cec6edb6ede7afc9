package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.pipeline.EdgeConnection.BODY_LIMIT;
import static dev.gantry.dataplane.pipeline.EdgeConnection.bytes;
import static dev.gantry.dataplane.pipeline.EdgeConnection.outbound;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A route's request body limit at limit-1, limit and limit+1, fixed-length and chunked. */
class RequestBodyLimitTest {

  private final EdgeConnection client = EdgeConnection.open(HttpServerConfig.defaults());

  @AfterEach
  void tearDown() {
    client.finishAndReleaseAll();
    client.upstreams.channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  private static String fixed(int length) {
    return "POST /limited HTTP/1.1\r\nHost: web.example.com\r\nContent-Length: "
        + length
        + "\r\n\r\n"
        + "x".repeat(length);
  }

  /** Returns a chunked request whose body has {@code length} bytes, in chunks of at most 4. */
  private static String chunked(int length) {
    StringBuilder request =
        new StringBuilder(
            "POST /limited HTTP/1.1\r\nHost: web.example.com\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int left = length; left > 0; left -= 4) {
      int size = Math.min(4, left);
      request.append(Integer.toHexString(size)).append("\r\n").append("x".repeat(size));
      request.append("\r\n");
    }
    return request.append("0\r\n\r\n").toString();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {BODY_LIMIT - 1, BODY_LIMIT})
  void forwardsAFixedLengthBodyUpToTheLimit(int length) {
    client.writeInbound(bytes(fixed(length)));

    assertThat(outbound(client.upstreams.last())).endsWith("\r\n\r\n" + "x".repeat(length));
    assertThat(client.written()).isEmpty();
  }

  @Test
  void answers413BeforeContactingTheUpstreamForAContentLengthOverTheLimit() {
    String response = client.exchange(fixed(BODY_LIMIT + 1));

    assertThat(response)
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("connection: close\r\n")
        .endsWith("request body too large");
    assertThat(client.upstreams.channels).isEmpty();
    assertThat(client.isOpen()).isFalse();
    assertThat(client.rejected(RequestRejection.BODY_TOO_LARGE)).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {BODY_LIMIT - 1, BODY_LIMIT})
  void forwardsAChunkedBodyUpToTheLimit(int length) {
    client.writeInbound(bytes(chunked(length)));

    assertThat(outbound(client.upstreams.last())).endsWith("0\r\n\r\n");
    assertThat(client.written()).isEmpty();
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void answers413AndResetsTheUpstreamWhenAChunkedBodyPassesTheLimit() {
    client.writeInbound(bytes(chunked(BODY_LIMIT + 1)));

    assertThat(client.written()).startsWith("HTTP/1.1 413 ").endsWith("request body too large");
    assertThat(client.upstreams.last().isOpen()).isFalse();
    // A line of its own: a request id ending in 0 before the blank line is no terminator.
    assertThat(outbound(client.upstreams.last())).doesNotContain("\r\n0\r\n\r\n");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void closesBothSidesWhenTheLimitIsPassedAfterTheResponseStarted() {
    client.writeInbound(
        bytes(
            "POST /limited HTTP/1.1\r\nHost: web.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\n12345678\r\n"));
    EmbeddedChannel upstream = client.upstreams.last();
    outbound(upstream);
    upstream.writeInbound(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
    assertThat(client.written()).startsWith("HTTP/1.1 200 OK\r\n");

    client.writeInbound(bytes("8\r\n12345678\r\n"));

    assertThat(client.written()).doesNotContain("413");
    assertThat(client.isOpen()).isFalse();
    assertThat(upstream.isOpen()).isFalse();
  }

  @Test
  void doesNotLimitRoutesWithoutALimit() {
    client.writeInbound(
        bytes(
            "POST /api HTTP/1.1\r\nHost: web.example.com\r\nContent-Length: 100000\r\n\r\n"
                + "x".repeat(100_000)));

    assertThat(client.written()).isEmpty();
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void countsTheBodyOfAnAggregatedRequestToo() {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, "/limited", bytes("x".repeat(BODY_LIMIT + 1)));
    request.headers().set("Host", "web.example.com");

    // In after the codec: the protocol choice installs the HTTP/1.1 handlers it then passes
    // through.
    client.pipeline().context("metrics").fireChannelRead(request);

    assertThat(client.written()).startsWith("HTTP/1.1 413 ");
    assertThat(client.upstreams.channels).isEmpty();
  }
}
