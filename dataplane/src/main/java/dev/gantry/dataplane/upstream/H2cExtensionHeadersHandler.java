package dev.gantry.dataplane.upstream;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Drops the {@code x-http2-*} headers (stream id, scheme…) that Netty's frame-to-HTTP conversion
 * adds to a response from an HTTP/2 upstream: they describe the proxy's stream, not the response,
 * and never reach the client.
 *
 * <p>Stateless and shared by every upstream stream channel; modifies the response in place.
 */
@ChannelHandler.Sharable
final class H2cExtensionHeadersHandler extends ChannelInboundHandlerAdapter {

  static final H2cExtensionHeadersHandler INSTANCE = new H2cExtensionHeadersHandler();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpMessage message) {
      HttpHeaders headers = message.headers();
      for (HttpConversionUtil.ExtensionHeaderNames name :
          HttpConversionUtil.ExtensionHeaderNames.values()) {
        headers.remove(name.text());
      }
    }
    ctx.fireChannelRead(msg);
  }
}
