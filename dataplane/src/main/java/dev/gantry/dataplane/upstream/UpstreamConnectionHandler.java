package dev.gantry.dataplane.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits at the tail of an upstream connection's pipeline and hands its events to the listener of the
 * exchange in progress. Without a listener the connection is idle in its pool: anything read, or
 * the idle timeout, closes it.
 *
 * <p>Confined to the connection's event loop.
 */
final class UpstreamConnectionHandler extends ChannelInboundHandlerAdapter {

  /** The HTTP/2 connection this handler's stream belongs to; null on HTTP/1.1. */
  private final Http2Connection http2;

  private UpstreamListener listener;

  /** Creates the handler of an HTTP/1.1 connection. */
  UpstreamConnectionHandler() {
    this(null);
  }

  /**
   * Creates the handler of one stream of {@code http2}, kept here because the parent channel's
   * pipeline may be gone by the time the stream reports its closing.
   */
  UpstreamConnectionHandler(Http2Connection http2) {
    this.http2 = http2;
  }

  void attach(UpstreamListener next) {
    if (listener != null) {
      throw new IllegalStateException("connection already serves an exchange");
    }
    listener = next;
  }

  void detach() {
    listener = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamListener current = listener;
    if (current == null || !(msg instanceof HttpObject response)) {
      // Bytes on an idle connection: the upstream is out of step with us, so the connection is
      // unusable.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (response.decoderResult().isFailure()) {
      String reason = String.valueOf(response.decoderResult().cause().getMessage());
      ReferenceCountUtil.release(msg);
      fail(
          ctx,
          new UpstreamException(
              UpstreamException.Kind.PROTOCOL_ERROR,
              "invalid response from " + ctx.channel().remoteAddress() + ": " + reason));
      return;
    }
    current.onResponse(response);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    UpstreamListener current = listener;
    if (current != null) {
      current.onReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamListener current = listener;
    if (current != null) {
      current.onWritabilityChanged(ctx.channel().isWritable());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (refusedByGoAway(ctx.channel())) {
      fail(
          ctx,
          new UpstreamException(
              UpstreamException.Kind.REFUSED_STREAM,
              "upstream " + ctx.channel().remoteAddress() + " went away before this stream"));
      return;
    }
    fail(
        ctx,
        new UpstreamException(
            UpstreamException.Kind.RESET,
            "upstream " + ctx.channel().remoteAddress() + " closed the connection"));
  }

  /**
   * Returns whether {@code channel} is an HTTP/2 stream closed because the upstream's GOAWAY named
   * a lower last stream, so the upstream never processed it.
   */
  private boolean refusedByGoAway(Channel channel) {
    if (http2 == null || !http2.goAwayReceived() || !(channel instanceof Http2StreamChannel s)) {
      return false;
    }
    int id = s.stream().id();
    return id > 0 && id > http2.local().lastStreamKnownByPeer();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(
        ctx,
        new UpstreamException(
            UpstreamException.classify(cause),
            "upstream " + ctx.channel().remoteAddress() + ": " + cause.getMessage()));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      fail(
          ctx,
          new UpstreamException(
              UpstreamException.Kind.TIMEOUT,
              "upstream " + ctx.channel().remoteAddress() + " was idle too long"));
    } else if (evt instanceof Http2GoAwayFrame goAway) {
      // HTTP/2: told to the streams above the GOAWAY's last stream before the codec has marked the
      // connection as gone away; they fail as they close, next (see refusedByGoAway), once a retry
      // can no longer pick this connection.
      goAway.release();
    } else if (evt instanceof Http2ResetFrame reset) {
      fail(
          ctx,
          new UpstreamException(
              reset.errorCode() == Http2Error.REFUSED_STREAM.code()
                  ? UpstreamException.Kind.REFUSED_STREAM
                  : UpstreamException.Kind.RESET,
              "upstream "
                  + ctx.channel().remoteAddress()
                  + " reset the stream ("
                  + Http2Error.valueOf(reset.errorCode())
                  + ")"));
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  /**
   * Detaches the listener, closes the connection, then tells the listener (at most once per
   * exchange).
   */
  private void fail(ChannelHandlerContext ctx, UpstreamException failure) {
    UpstreamListener current = listener;
    listener = null;
    ctx.close();
    if (current != null) {
      current.onFailure(failure);
    }
  }
}
