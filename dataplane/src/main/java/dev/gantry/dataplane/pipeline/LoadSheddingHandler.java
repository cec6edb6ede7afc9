package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.overload.MemoryPressure;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses new requests while the process is short of memory: 503 with {@code Retry-After: 1}, then
 * closes (the connection on HTTP/1.1, the stream on HTTP/2), which frees what the connection held.
 * Requests already past it finish: they hold their memory already, and streaming bounds it.
 *
 * <p>Sits after flow control, so it decides once per request and its answer keeps the order of
 * responses. One instance per channel; confined to the channel's event loop.
 */
final class LoadSheddingHandler extends ChannelInboundHandlerAdapter {

  private static final String RETRY_AFTER_SECONDS = "1";

  private final MemoryPressure pressure;
  private final ProxyMetrics metrics;
  private boolean refused;

  LoadSheddingHandler(MemoryPressure pressure, ProxyMetrics metrics) {
    this.pressure = pressure;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg); // the rest of the refused request, or what follows it
      return;
    }
    if (msg instanceof HttpRequest && pressure.high()) {
      refused = true;
      ReferenceCountUtil.release(msg);
      metrics.rejected(RequestRejection.OVERLOADED);
      FullHttpResponse response = LocalResponses.rejected(RequestRejection.OVERLOADED);
      response.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
