package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * Writes what the proxy itself tells a client: local responses, refusals that end the connection,
 * and the end of a response that broke after its head was sent — a stream reset on HTTP/2, a closed
 * connection on HTTP/1.1. One instance per channel; confined to its event loop.
 */
final class ClientReplies {

  private final ChannelHandlerContext ctx;
  private final boolean http2;

  ClientReplies(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.http2 = ctx.channel() instanceof Http2StreamChannel;
  }

  /** Returns whether the channel is one HTTP/2 stream (which carries exactly one request). */
  boolean http2() {
    return http2;
  }

  /**
   * Writes a local response; with {@code close}, marks it {@code Connection: close}. Returns the
   * write's future; closing is left to the caller, which knows whether the request is complete.
   */
  ChannelFuture respond(FullHttpResponse response, boolean close) {
    if (close) {
      HttpUtil.setKeepAlive(response, false);
    }
    return ctx.writeAndFlush(response);
  }

  /** Writes a refusal and closes the connection once it is out. */
  void refuse(FullHttpResponse response) {
    HttpUtil.setKeepAlive(response, false);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Ends a response that cannot be completed after its head was sent: HTTP/2 resets just this
   * stream (INTERNAL_ERROR); HTTP/1.1 has no other way than closing the connection, which tells the
   * client the body is truncated.
   */
  void abortResponse() {
    if (http2) {
      reset(Http2Error.INTERNAL_ERROR);
    } else {
      ctx.close();
    }
  }

  /** Resets this HTTP/2 stream; the child channel closes with it. */
  void reset(Http2Error error) {
    ctx.writeAndFlush(new DefaultHttp2ResetFrame(error)).addListener(f -> ctx.close());
  }
}
