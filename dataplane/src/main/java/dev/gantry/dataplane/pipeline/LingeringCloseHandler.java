package dev.gantry.dataplane.pipeline;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection the way RFC 9112 §9.6 advises (a "lingering close"): first sends what
 * was written, then a FIN, then reads and discards whatever the client still sends until it closes
 * too, or for at most {@code linger}. Closing at once would make the kernel answer unread bytes
 * with a TCP reset, which can destroy the last response or GOAWAY before the client has read it.
 *
 * <p>Sits first in the pipeline, so the bytes discarded while lingering reach no other handler. One
 * instance per connection; confined to the channel's event loop.
 */
final class LingeringCloseHandler extends ChannelDuplexHandler {

  private final Duration linger;
  private boolean lingering;

  LingeringCloseHandler(Duration linger) {
    this.linger = linger;
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (lingering
        || !(ctx.channel() instanceof DuplexChannel duplex)
        || !duplex.isActive()
        || duplex.isOutputShutdown()) {
      ctx.close(promise);
      return;
    }
    lingering = true;
    ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
    ChannelFuture flushed = ctx.writeAndFlush(Unpooled.EMPTY_BUFFER); // after all earlier writes
    flushed.addListener(
        f -> {
          if (!f.isSuccess()) {
            ctx.close();
            return;
          }
          duplex.shutdownOutput();
          ctx.channel().config().setAutoRead(true);
          ctx.executor().schedule(() -> ctx.close(), linger.toMillis(), TimeUnit.MILLISECONDS);
        });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!lingering) {
      ctx.fireChannelReadComplete();
    }
  }
}
