package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Removes connection-specific headers from responses on an HTTP/2 stream, which RFC 9113 §8.2.2
 * forbids (a client must treat them as malformed): Connection and the headers it names, Keep-Alive,
 * Proxy-Connection, Transfer-Encoding and Upgrade. The proxy handler is shared with HTTP/1.1 and
 * frames its responses for it (chunked, keep-alive); HTTP/2 frames them itself.
 *
 * <p>Stateless and shared by every stream channel; modifies the response in place.
 */
@ChannelHandler.Sharable
final class Http2ConnectionHeadersHandler extends ChannelOutboundHandlerAdapter {

  private static final List<AsciiString> CONNECTION_SPECIFIC =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.UPGRADE);

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      HttpHeaders headers = response.headers();
      for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
        for (String token : connection.split(",")) {
          String name = token.trim();
          if (!name.isEmpty()) {
            headers.remove(name);
          }
        }
      }
      for (AsciiString name : CONNECTION_SPECIFIC) {
        headers.remove(name);
      }
    }
    ctx.write(msg, promise);
  }
}
