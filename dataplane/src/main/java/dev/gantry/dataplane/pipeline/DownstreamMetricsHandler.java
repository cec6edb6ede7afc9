package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * Counts open client connections and the final responses written to them (on HTTP/2, to their
 * streams). Shared by every downstream channel; stateless apart from the thread-safe {@link
 * ProxyMetrics}. Does not retain or modify any message.
 */
@ChannelHandler.Sharable
final class DownstreamMetricsHandler extends ChannelDuplexHandler {

  private final ProxyMetrics metrics;

  DownstreamMetricsHandler(ProxyMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (isConnection(ctx)) {
      metrics.connectionOpened();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (isConnection(ctx)) {
      metrics.connectionClosed();
    }
    ctx.fireChannelInactive();
  }

  /**
   * Returns false on an HTTP/2 stream's child channel: the handler sits there too, to count its
   * response, but the connection is counted on the parent.
   */
  private static boolean isConnection(ChannelHandlerContext ctx) {
    return !(ctx.channel() instanceof Http2StreamChannel);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response
        && (response.status().codeClass() != HttpStatusClass.INFORMATIONAL
            || response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code())) {
      metrics.response(response.status().code());
    }
    ctx.write(msg, promise);
  }
}
