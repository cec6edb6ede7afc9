package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the concurrent client connections of one listener: a connection over the cap is closed as
 * soon as it is accepted, without a response (nothing was read yet), and counted. Shared by every
 * channel of the listener; the count is the only shared state and is atomic.
 */
@ChannelHandler.Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

  private static final AttributeKey<Boolean> COUNTED =
      AttributeKey.valueOf(ConnectionLimitHandler.class, "counted");

  private final int maxConnections;
  private final ProxyMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimitHandler(int maxConnections, ProxyMetrics metrics) {
    this.maxConnections = maxConnections;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      metrics.connectionRefused();
      ctx.close();
      return;
    }
    ctx.channel().attr(COUNTED).set(Boolean.TRUE);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
      open.decrementAndGet();
      ctx.fireChannelInactive();
    }
  }
}
