package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * Chooses the protocol of a new connection, installs the handlers for it and removes itself. On
 * cleartext the {@link PrefaceDetector} and Netty's {@link HttpServerUpgradeHandler} in front do
 * the detecting, over TLS the {@link AlpnHandler}; this handler acts on their verdict:
 *
 * <ul>
 *   <li>HTTP/2 after the prior-knowledge preface ({@code PRI * HTTP/2.0}), an accepted {@code
 *       Upgrade: h2c} or ALPN {@code h2}: the HTTP/2 handlers are in place, so it adds the
 *       connection-level ones and turns auto-read on (HTTP/2 flow control bounds what a client may
 *       send per stream);
 *   <li>HTTP/1.1 on the first request that does not upgrade: it removes the upgrade handler (only a
 *       connection's first request may upgrade, so a keep-alive connection never changes protocol
 *       under the proxy handler) and adds the HTTP/1.1 handlers.
 * </ul>
 *
 * <p>Reads explicitly (auto-read is off) until it has chosen; a connection idle before its first
 * request is closed. One instance per connection; confined to the channel's event loop.
 */
final class ProtocolSelectionHandler extends ChannelInboundHandlerAdapter {

  /**
   * The user event fired when the HTTP/2 handlers are in place: after the prior-knowledge preface
   * ({@link PrefaceDetector}) or when TLS negotiated {@code h2} ({@link AlpnHandler}).
   */
  static final Object HTTP2_IN_PLACE = new Object();

  private final Consumer<ChannelPipeline> http1;
  private final Consumer<ChannelPipeline> http2;
  private boolean chosen;

  /**
   * @param http1 adds the HTTP/1.1 handlers at the end of the pipeline
   * @param http2 adds the HTTP/2 connection-level handlers at the end of the pipeline
   */
  ProtocolSelectionHandler(Consumer<ChannelPipeline> http1, Consumer<ChannelPipeline> http2) {
    this.http1 = requireNonNull(http1, "http1");
    this.http2 = requireNonNull(http2, "http2");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (chosen || !(msg instanceof HttpRequest request)) {
      ReferenceCountUtil.release(msg); // nothing else comes out of the HTTP/1.1 codec first
      return;
    }
    chosen = true;
    if (isNotHttp(request)) {
      // Neither an HTTP/2 preface nor an HTTP/1.x request line: a client that speaks neither gets
      // no answer in a protocol it would misread (h2spec checks this for a bad preface).
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    ChannelPipeline pipeline = ctx.pipeline();
    if (pipeline.get(HttpServerUpgradeHandler.class) != null) {
      pipeline.remove(HttpServerUpgradeHandler.class);
    }
    http1.accept(pipeline);
    pipeline.remove(this);
    ctx.fireChannelRead(msg);
  }

  /** Returns whether the request line did not even carry an HTTP version. */
  private static boolean isNotHttp(HttpRequest request) {
    Throwable cause = request.decoderResult().cause();
    String message = String.valueOf(cause == null ? null : cause.getMessage());
    // "INVALID CONNECTION PREFACE" has no HTTP version at all; "GET /a\rb HTTP/1.1" is HTTP, badly
    // formed, and gets its 400 from the request guard.
    return cause instanceof IllegalArgumentException
        && message.startsWith("invalid version format")
        && !message.contains("HTTP/");
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!chosen) {
      ctx.read(); // the preface or request head is not complete yet
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == Drain.DRAIN && !chosen) {
      ctx.close(); // draining before the first request: nothing in flight
      return;
    }
    if (evt == HTTP2_IN_PLACE || evt instanceof HttpServerUpgradeHandler.UpgradeEvent) {
      ReferenceCountUtil.release(evt); // the upgrade request already went to stream 1
      if (!chosen) {
        chosen = true;
        http2.accept(ctx.pipeline());
        ctx.pipeline().remove(this);
        ctx.channel().config().setAutoRead(true);
      }
      return;
    }
    if (evt instanceof IdleStateEvent && !chosen) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }
}
