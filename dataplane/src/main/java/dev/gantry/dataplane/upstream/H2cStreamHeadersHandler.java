package dev.gantry.dataplane.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Adjusts the headers of an exchange on an HTTP/2 upstream stream, around Netty's frame-to-HTTP
 * conversion:
 *
 * <ul>
 *   <li>requests get {@code te: trailers}: the proxy passes response trailers on, and gRPC servers
 *       expect the header (the client's own TE is hop-by-hop and was dropped);
 *   <li>responses lose the {@code x-http2-*} headers (stream id, scheme…) the conversion adds: they
 *       describe the proxy's stream, not the response, and never reach the client.
 * </ul>
 *
 * <p>Stateless and shared by every upstream stream channel; modifies messages in place.
 */
@ChannelHandler.Sharable
final class H2cStreamHeadersHandler extends ChannelDuplexHandler {

  static final H2cStreamHeadersHandler INSTANCE = new H2cStreamHeadersHandler();

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpRequest request) {
      request.headers().set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
    }
    ctx.write(msg, promise);
  }

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
