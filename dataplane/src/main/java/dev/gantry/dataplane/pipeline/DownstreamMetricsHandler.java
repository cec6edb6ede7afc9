package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * Counts open client connections and the final responses written to them. Shared by every
 * downstream channel; stateless apart from the thread-safe {@link ProxyMetrics}. Does not retain or
 * modify any message.
 */
@ChannelHandler.Sharable
final class DownstreamMetricsHandler extends ChannelDuplexHandler {

  private final ProxyMetrics metrics;

  DownstreamMetricsHandler(ProxyMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    metrics.connectionOpened();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    metrics.connectionClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response
        && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      metrics.response(response.status().code());
    }
    ctx.write(msg, promise);
  }
}
