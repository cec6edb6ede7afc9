package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resets an HTTP/2 stream with PROTOCOL_ERROR when its request is malformed in ways Netty's frame
 * codec lets through (RFC 9113 §8.1.1, §8.1.2, §8.3.1): request headers without {@code :method},
 * {@code :scheme} or a non-empty {@code :path} (CONNECT: without {@code :authority}); a second
 * HEADERS frame that is not trailers (no END_STREAM, or pseudo-header fields). (The codec checks
 * {@code content-length} against the DATA frames itself.) Without it the stream codec would read
 * headers lacking {@code :method} as trailers.
 *
 * <p>Sits first in a stream's pipeline, before the frame-to-HTTP codec. One instance per stream;
 * confined to the stream's event loop.
 */
final class Http2RequestValidationHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Http2RequestValidationHandler.class);

  private boolean headersSeen;
  private boolean rejected;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
      return;
    }
    String problem = null;
    if (msg instanceof Http2HeadersFrame frame) {
      problem = headersSeen ? checkTrailers(frame) : checkRequest(frame.headers());
      headersSeen = true;
    }
    if (problem == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    log.debug("resetting stream {}: {}", ctx.channel(), problem);
    ReferenceCountUtil.release(msg);
    rejected = true;
    ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private static String checkRequest(Http2Headers headers) {
    CharSequence method = headers.method();
    if (method == null) {
      return ":method missing";
    }
    if (HttpMethod.CONNECT.asciiName().contentEquals(method)) {
      return headers.authority() == null ? ":authority missing in CONNECT" : null;
    }
    if (headers.scheme() == null) {
      return ":scheme missing";
    }
    if (headers.path() == null || headers.path().isEmpty()) {
      return ":path missing or empty";
    }
    return null;
  }

  private static String checkTrailers(Http2HeadersFrame frame) {
    if (!frame.isEndStream()) {
      return "second HEADERS frame without END_STREAM";
    }
    for (Map.Entry<CharSequence, CharSequence> header : frame.headers()) {
      if (Http2Headers.PseudoHeaderName.hasPseudoHeaderFormat(header.getKey())) {
        return "pseudo-header field in trailers: " + header.getKey();
      }
    }
    return null;
  }
}
