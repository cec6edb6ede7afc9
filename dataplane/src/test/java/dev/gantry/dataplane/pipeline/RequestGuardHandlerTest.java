package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.pipeline.EdgeConnection.bytes;
import static dev.gantry.dataplane.pipeline.EdgeConnection.outbound;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Refusals as a client sees them, through the whole pipeline. */
class RequestGuardHandlerTest {

  private final EdgeConnection client = EdgeConnection.open(HttpServerConfig.defaults());

  @AfterEach
  void tearDown() {
    client.finishAndReleaseAll();
    client.upstreams.channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void answers400WithConnectionCloseAndClosesForAmbiguousFraming() {
    String response =
        client.exchange(
            "POST /direct HTTP/1.1\r\nHost: web.example.com\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

    assertThat(response)
        .startsWith("HTTP/1.1 400 Bad Request\r\n")
        .containsIgnoringCase("connection: close\r\n")
        .containsIgnoringCase("content-type: text/plain; charset=utf-8\r\n")
        .endsWith("content-length with transfer-encoding");
    assertThat(client.isOpen()).isFalse();
    assertThat(client.rejected(RequestRejection.LENGTH_AND_ENCODING)).isEqualTo(1);
    assertThat(
            client
                .registry
                .get("gantry.dataplane.requests")
                .tag("status_class", "4xx")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(client.upstreams.channels).isEmpty();
  }

  @Test
  void answersAPipelinedRefusalOnlyAfterThePreviousResponse() {
    String responses =
        client.exchange(
            "GET /direct HTTP/1.1\r\nHost: web.example.com\r\n\r\n"
                + "GET /direct HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");

    assertThat(responses).startsWith("HTTP/1.1 200 OK\r\n").contains("okHTTP/1.1 400 ");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void answers400AndResetsTheUpstreamWhenTheChunkedBodyBreaksBeforeAnyResponse() {
    client.writeInbound(
        bytes(
            "POST /api HTTP/1.1\r\nHost: web.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n"));
    EmbeddedChannel upstream = client.upstreams.last();
    assertThat(outbound(upstream)).startsWith("POST /api HTTP/1.1\r\n");

    client.writeInbound(bytes("0x1\r\n"));

    assertThat(client.written()).startsWith("HTTP/1.1 400 ").endsWith("malformed request");
    assertThat(client.isOpen()).isFalse();
    assertThat(upstream.isOpen()).isFalse();
    assertThat(client.rejected(RequestRejection.MALFORMED)).isEqualTo(1);
  }

  @Test
  void closesWithoutA400WhenTheChunkedBodyBreaksAfterTheResponseStarted() {
    client.writeInbound(
        bytes(
            "POST /api HTTP/1.1\r\nHost: web.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n"));
    EmbeddedChannel upstream = client.upstreams.last();
    outbound(upstream);
    upstream.writeInbound(
        bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n"));
    assertThat(client.written()).startsWith("HTTP/1.1 200 OK\r\n");

    client.writeInbound(bytes("zz\r\n"));

    assertThat(client.written()).doesNotContain("400");
    assertThat(client.isOpen()).isFalse();
    assertThat(upstream.isOpen()).isFalse();
  }

  @Test
  void forwardsTheNormalisedPathThatWasRoutedWithTheQueryUnchanged() {
    client.writeInbound(
        bytes("GET //x/./y/../%7Ez/?q=/../%2F HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));

    assertThat(outbound(client.upstreams.last())).startsWith("GET /x/~z/?q=/../%2F HTTP/1.1\r\n");
  }

  @Test
  void routesADotSegmentPathToTheRouteItNormalisesTo() {
    assertThat(client.exchange("GET /api/../direct HTTP/1.1\r\nHost: web.example.com\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .endsWith("ok");
    assertThat(client.upstreams.channels).isEmpty();
  }

  @Test
  void answers400ForAnEncodedSlashOrAPathAboveTheRoot() {
    assertThat(client.exchange("GET /a%2Fb HTTP/1.1\r\nHost: web.example.com\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .endsWith("invalid request target");
    assertThat(client.isOpen()).isFalse();
    assertThat(client.rejected(RequestRejection.TARGET_INVALID)).isEqualTo(1);
  }

  @Test
  void routesAnHttp10AbsoluteFormRequestWithoutHostByItsAuthority() {
    assertThat(client.exchange("GET http://web.example.com/direct HTTP/1.0\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK\r\n");
  }
}
