package dev.gantry.dataplane.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * WebSocket over an HTTP/2 stream (RFC 8441), on the proxy's side of one stream: sits first in the
 * stream's pipeline, in front of the stream codec.
 *
 * <p>A stream that opens with an extended CONNECT for {@code :protocol websocket} is handed on as a
 * complete, bodiless {@code GET} of its {@code :path}, so that routing, filters and the upstream
 * exchange treat it like an HTTP/1.1 handshake, and the channel is marked ({@link #requested}).
 * DATA the client sends before the handshake is answered is held here (a WebSocket client sends
 * none: RFC 6455 §4.1). Once {@link WebSocketUpgrade} has answered {@code 200} and taken the HTTP
 * handlers out, {@link #relay} makes this handler the stream's byte adapter for the relay: DATA in
 * is passed on as bytes and END_STREAM as an input shutdown; bytes out become DATA, and a close
 * ends the stream with END_STREAM first.
 *
 * <p>One instance per stream; confined to the stream's event loop.
 */
final class ExtendedConnect extends ChannelDuplexHandler {

  private static final AttributeKey<Boolean> WEBSOCKET =
      AttributeKey.valueOf("gantry.websocket-over-h2");

  /** DATA held before the switch, beyond which the stream is reset: a client must wait for 200. */
  private static final int MAX_EARLY_BYTES = 64 * 1024;

  private final ArrayDeque<Http2DataFrame> early = new ArrayDeque<>(2);
  private int earlyBytes;
  private boolean headersSeen;
  private boolean websocket;
  private boolean relaying;
  private boolean endStreamSent;

  /** Returns whether {@code channel} is a stream that opened with a WebSocket extended CONNECT. */
  static boolean requested(Channel channel) {
    return Boolean.TRUE.equals(channel.attr(WEBSOCKET).get());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!headersSeen && msg instanceof Http2HeadersFrame frame) {
      headersSeen = true;
      if (isWebSocket(frame.headers())) {
        websocket = true;
        ctx.channel().attr(WEBSOCKET).set(Boolean.TRUE);
        ctx.fireChannelRead(asGet(frame));
        return;
      }
    }
    if (!websocket) {
      ctx.fireChannelRead(msg);
    } else if (relaying) {
      relayIn(ctx, msg);
    } else {
      holdEarly(ctx, msg);
    }
  }

  /**
   * Switches to relaying: what was held goes on as bytes. Called once the HTTP handlers behind this
   * one are gone and the relay's handler is in place.
   */
  void relay(ChannelHandlerContext ctx) {
    relaying = true;
    for (Http2DataFrame frame = early.poll(); frame != null; frame = early.poll()) {
      relayIn(ctx, frame);
    }
  }

  /** Returns the context of the stream's adapter, or null if {@code channel} has none. */
  static ChannelHandlerContext of(Channel channel) {
    return channel.pipeline().context(ExtendedConnect.class);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (relaying && msg instanceof ByteBuf buf) {
      ctx.write(new DefaultHttp2DataFrame(buf, false), promise);
    } else {
      ctx.write(msg, promise);
    }
  }

  /** Ends the stream with END_STREAM, as a FIN ends a TCP connection, then closes the channel. */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (relaying && !endStreamSent && ctx.channel().isActive()) {
      endStreamSent = true;
      ctx.writeAndFlush(new DefaultHttp2DataFrame(true))
          .addListener((ChannelFutureListener) f -> ctx.close(promise));
      return;
    }
    ctx.close(promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseEarly();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseEarly();
    ctx.fireChannelInactive();
  }

  private static boolean isWebSocket(Http2Headers headers) {
    CharSequence protocol = headers.get(Http2Headers.PseudoHeaderName.PROTOCOL.value());
    return protocol != null
        && HttpMethod.CONNECT.asciiName().contentEquals(headers.method())
        && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(protocol);
  }

  /** The handshake as a complete GET: the stream codec then hands on a bodiless request. */
  private static Http2HeadersFrame asGet(Http2HeadersFrame frame) {
    Http2Headers headers = frame.headers();
    headers.method(HttpMethod.GET.asciiName());
    headers.remove(Http2Headers.PseudoHeaderName.PROTOCOL.value());
    return new DefaultHttp2HeadersFrame(headers, true).stream(frame.stream());
  }

  private void holdEarly(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Http2DataFrame frame)) {
      ctx.fireChannelRead(msg); // a reset, a window update: the stream's business, not the relay's
      return;
    }
    earlyBytes += frame.content().readableBytes();
    early.add(frame);
    if (earlyBytes > MAX_EARLY_BYTES) {
      releaseEarly();
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void relayIn(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Http2DataFrame frame)) {
      ReferenceCountUtil.release(msg); // a reset closes the stream channel by itself
      return;
    }
    if (frame.content().isReadable()) {
      ctx.fireChannelRead(frame.content());
    } else {
      frame.release();
    }
    if (frame.isEndStream()) {
      ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    }
  }

  private void releaseEarly() {
    for (Http2DataFrame frame = early.poll(); frame != null; frame = early.poll()) {
      frame.release();
    }
    earlyBytes = 0;
  }
}
