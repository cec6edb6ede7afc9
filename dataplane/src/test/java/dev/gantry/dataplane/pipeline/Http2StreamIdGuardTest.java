package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.testing.H2Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http2StreamIdGuardTest {

  private final H2Frames frames = new H2Frames();
  private final H2Frames.Log log = new H2Frames.Log();
  private final ByteBuf received = Unpooled.buffer();
  private final EmbeddedChannel channel = server();

  /**
   * A server whose streams answer 200 at once, or reset with CANCEL on a path of /reset. (Streams
   * start at 3: an EmbeddedChannel has no server parent, so the multiplexer takes stream 1 for a
   * client's upgrade stream.)
   */
  private static EmbeddedChannel server() {
    Http2StreamIdGuard guard = new Http2StreamIdGuard();
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().frameLogger(guard).build();
    guard.bind(codec.connection());
    return new EmbeddedChannel(
        codec,
        new Http2MultiplexHandler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel stream) {
                stream
                    .pipeline()
                    .addLast(
                        new ChannelInboundHandlerAdapter() {
                          @Override
                          public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            if (msg instanceof Http2HeadersFrame headers) {
                              if (headers.headers().path().toString().equals("/reset")) {
                                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
                              } else if (headers.isEndStream()) {
                                ctx.writeAndFlush(
                                    new DefaultHttp2HeadersFrame(
                                        new DefaultHttp2Headers().status("200"), true));
                              }
                            }
                            ReferenceCountUtil.release(msg);
                          }
                        });
              }
            }),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // The codec answers connection errors itself (GOAWAY), as in the real pipeline.
          }
        });
  }

  @AfterEach
  void tearDown() {
    received.release();
    channel.finishAndReleaseAll();
  }

  @Test
  void endsTheConnectionWithStreamClosedOnHeadersForAClosedStream() {
    send(frames.preface());
    send(frames.headers(3, get("/"), true));
    assertThat(read().endStreams).isEqualTo(1);

    send(frames.headers(3, get("/"), true));

    assertThat(read().goAwayError).isEqualTo(Http2Error.STREAM_CLOSED.code());
  }

  @Test
  void endsTheConnectionWithProtocolErrorOnAStreamIdBelowTheLastOne() {
    send(frames.preface());
    send(frames.headers(7, get("/"), true));
    send(frames.headers(5, get("/"), true));

    assertThat(read().goAwayError).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
    assertThat(log.headers).containsOnlyKeys(7);
  }

  @Test
  void onlyResetsAStreamItResetWhoseTrailersWereInFlight() {
    send(frames.preface());
    send(frames.headers(3, get("/reset"), false));
    assertThat(read().resets).containsEntry(3, Http2Error.CANCEL.code());

    send(frames.headers(3, new DefaultHttp2Headers().add("x-trailer", "late"), true));

    assertThat(read().goAwayError).isEqualTo(-1);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void letsNewStreamsThrough() {
    send(frames.preface());
    send(frames.headers(3, get("/"), true));
    send(frames.headers(5, get("/"), true));

    assertThat(read().endStreams).isEqualTo(2);
    assertThat(log.goAwayError).isEqualTo(-1);
  }

  private static Http2Headers get(String path) {
    return new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority("a");
  }

  private void send(ByteBuf bytes) {
    channel.writeInbound(bytes);
    channel.runPendingTasks();
  }

  private H2Frames.Log read() {
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      received.writeBytes(out);
      out.release();
    }
    frames.read(received, log);
    return log;
  }
}
