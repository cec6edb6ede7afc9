package dev.gantry.dataplane.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
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

  private UpstreamListener listener;

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
    fail(
        ctx,
        new UpstreamException(
            UpstreamException.Kind.RESET,
            "upstream " + ctx.channel().remoteAddress() + " closed the connection"));
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
