package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.pipeline.EdgeConnection.bytes;
import static dev.gantry.dataplane.pipeline.EdgeConnection.outbound;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http1ServerCodecTest {

  private final EmbeddedChannel channel =
      new EmbeddedChannel(new Http1ServerCodec(HttpServerConfig.defaults(), new RequestTurn()));

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  private static HttpResponse chunkedOk() {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    return response;
  }

  @Test
  void writesNoBodyFramingAfterAHeadRequest() {
    channel.writeInbound(
        bytes("HEAD / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      ReferenceCountUtil.release(msg);
    }

    channel.writeOutbound(chunkedOk(), LastHttpContent.EMPTY_LAST_CONTENT);
    String head = outbound(channel);
    channel.writeOutbound(chunkedOk(), LastHttpContent.EMPTY_LAST_CONTENT);
    String get = outbound(channel);

    assertThat(head).endsWith("\r\n\r\n").doesNotContain("0\r\n\r\n");
    assertThat(get).endsWith("\r\n\r\n0\r\n\r\n");
  }
}
