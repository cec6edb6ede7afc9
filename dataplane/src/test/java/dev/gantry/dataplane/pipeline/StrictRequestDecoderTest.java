package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.pipeline.EdgeConnection.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StrictRequestDecoderTest {

  private final List<HttpMethod> methods = new ArrayList<>();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new StrictRequestDecoder(HttpServerConfig.defaults(), new RequestTurn(), methods::add));

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  private HttpRequest decodeRequest(String text) {
    channel.writeInbound(bytes(text));
    HttpRequest request = channel.readInbound();
    return request;
  }

  private static RequestRejection rejectionOf(HttpRequest request) {
    assertThat(request.decoderResult().isFailure()).isTrue();
    return RequestValidator.classify(request.decoderResult().cause());
  }

  @Test
  void decodesAWellFormedRequestAndReportsItsMethod() {
    HttpRequest request = decodeRequest("HEAD /a HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n");

    assertThat(request.decoderResult().isSuccess()).isTrue();
    assertThat(request.headers().get("x-a")).isEqualTo("1");
    assertThat(methods).containsExactly(HttpMethod.HEAD);
  }

  @Test
  void holdsWhatFollowsAWebSocketHandshakeForWhoeverTakesTheConnectionOver() {
    channel.writeInbound(
        bytes(
            "GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                + "\u0081\u0002hi"));
    HttpRequest request = channel.readInbound();
    LastHttpContent last = channel.readInbound();
    last.release();

    assertThat(request.uri()).isEqualTo("/chat");
    assertThat((Object) channel.readInbound()).as("the frame is no request").isNull();
    channel.pipeline().removeFirst();
    io.netty.buffer.ByteBuf frame = channel.readInbound();
    assertThat(frame.toString(java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("\u0081\u0002hi");
    frame.release();
  }

  @Test
  void decodesTheNextRequestOnceARefusedHandshakeIsOver() {
    RequestTurn turn = new RequestTurn();
    EmbeddedChannel decoding =
        new EmbeddedChannel(new StrictRequestDecoder(HttpServerConfig.defaults(), turn, m -> {}));
    decoding.writeInbound(
        bytes(
            "GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"));
    assertThat(((HttpRequest) decoding.readInbound()).uri()).isEqualTo("/chat");
    ReferenceCountUtil.release(decoding.readInbound());
    assertThat((Object) decoding.readInbound()).isNull();

    turn.advance();
    decoding.runPendingTasks();

    assertThat(((HttpRequest) decoding.readInbound()).uri()).isEqualTo("/next");
    decoding.finishAndReleaseAll();
  }

  @Test
  void refusesObsoleteLineFoldingThatNettyWouldUnfold() {
    assertThat(rejectionOf(decodeRequest("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n")))
        .isEqualTo(RequestRejection.OBS_FOLD);
  }

  @Test
  void refusesObsoleteLineFoldingSplitAcrossReads() {
    channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r"));
    assertThat((Object) channel.readInbound()).isNull();
    channel.writeInbound(bytes("\n"));
    channel.writeInbound(bytes("\t2\r\n\r\n"));

    assertThat(rejectionOf(channel.readInbound())).isEqualTo(RequestRejection.OBS_FOLD);
  }

  @Test
  void refusesWhitespaceBeforeTheFirstHeader() {
    assertThat(rejectionOf(decodeRequest("GET / HTTP/1.1\r\n Host: h\r\n\r\n")))
        .isEqualTo(RequestRejection.MALFORMED);
  }

  @Test
  void doesNotScanBodiesForFolding() {
    HttpRequest request =
        decodeRequest("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\na\r\n b\r\n");
    assertThat(request.decoderResult().isSuccess()).isTrue();
    HttpContent body = channel.readInbound();
    assertThat(body).isInstanceOf(LastHttpContent.class);
    assertThat(body.decoderResult().isSuccess()).isTrue();
    body.release();
  }

  @Test
  void scansTheHeadOfEachPipelinedRequest() {
    channel.writeInbound(
        bytes(
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx"
                + "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n"));

    HttpRequest first = channel.readInbound();
    assertThat(first.decoderResult().isSuccess()).isTrue();
    ReferenceCountUtil.release(channel.readInbound());
    assertThat(rejectionOf(channel.readInbound())).isEqualTo(RequestRejection.OBS_FOLD);
  }

  @Test
  void discardsEverythingAfterARefusal() {
    HttpRequest refused = decodeRequest("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n");
    assertThat(refused.decoderResult().isFailure()).isTrue();

    channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));

    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void refusesABareLineFeed() {
    assertThat(decodeRequest("GET / HTTP/1.1\nHost: h\r\n\r\n").decoderResult().isFailure())
        .isTrue();
  }
}
