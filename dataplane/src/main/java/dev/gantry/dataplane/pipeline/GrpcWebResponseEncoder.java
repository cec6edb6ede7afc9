package dev.gantry.dataplane.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Turns the gRPC response of a translated gRPC-Web call into the gRPC-Web response the browser
 * reads: the content type, the messages as they come (base64 in the text mode, three bytes at a
 * time so that no padding falls inside the stream), and the backend's trailers as a final message
 * with the flag {@code 0x80} holding {@code name: value\r\n} lines. A trailers-only response keeps
 * its status in the headers, which gRPC-Web clients read too.
 *
 * <p>Sits in front of the proxy handler only once a connection (an HTTP/2 stream) has had a
 * gRPC-Web call, and is idle for other requests: {@link #activate} arms it for one response. One
 * instance per channel; confined to its event loop.
 */
final class GrpcWebResponseEncoder extends ChannelOutboundHandlerAdapter {

  private static final String NAME = "grpc-web";
  private static final byte TRAILERS_FLAG = (byte) 0x80;

  private GrpcWeb.Mode mode;

  /** Leftover bytes (fewer than 3) of the text mode, encoded with the next ones. */
  private ByteBuf carry;

  /**
   * Arms the encoder of {@code pipeline}, adding it in front of the handler named {@code before}
   * the first time, for the next response, in {@code mode}.
   */
  static void activate(ChannelPipeline pipeline, String before, GrpcWeb.Mode mode) {
    GrpcWebResponseEncoder encoder = pipeline.get(GrpcWebResponseEncoder.class);
    if (encoder == null) {
      encoder = new GrpcWebResponseEncoder();
      pipeline.addBefore(before, NAME, encoder);
    }
    encoder.mode = mode;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (mode == null) {
      ctx.write(msg, promise);
      return;
    }
    if (msg instanceof HttpResponse response) {
      if (!Grpc.isCall(response.headers())) {
        mode = null; // not the backend's gRPC answer (e.g. a text page): passed on untouched
        ctx.write(msg, promise);
        return;
      }
      response
          .headers()
          .set(
              HttpHeaderNames.CONTENT_TYPE,
              GrpcWeb.webContentType(response.headers().get(HttpHeaderNames.CONTENT_TYPE), mode));
      if (msg instanceof FullHttpResponse) {
        mode = null; // trailers-only: the status stays in the headers
        ctx.write(msg, promise);
        return;
      }
      response.headers().remove(HttpHeaderNames.CONTENT_LENGTH); // the trailers add a message
      if (response.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
        HttpUtil.setTransferEncodingChunked(response, true);
      }
      ctx.write(msg, promise);
      return;
    }
    if (msg instanceof LastHttpContent last) {
      ByteBuf body = ctx.alloc().compositeBuffer().addComponent(true, last.content().retain());
      ((CompositeByteBuf) body).addComponent(true, trailersMessage(ctx, last.trailingHeaders()));
      last.release();
      ByteBuf out = mode == GrpcWeb.Mode.TEXT ? encode(ctx, body, true) : body;
      mode = null;
      ctx.write(new DefaultLastHttpContent(out), promise);
      return;
    }
    if (msg instanceof HttpContent content && mode == GrpcWeb.Mode.TEXT) {
      ByteBuf out = encode(ctx, content.content().retain(), false);
      content.release();
      ctx.write(new DefaultHttpContent(out), promise);
      return;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (carry != null) {
      carry.release();
      carry = null;
    }
  }

  /** Returns the trailers as one gRPC-Web message: flag, big-endian length, then the lines. */
  private static ByteBuf trailersMessage(ChannelHandlerContext ctx, HttpHeaders trailers) {
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, String> trailer : trailers) {
      lines.append(trailer.getKey()).append(": ").append(trailer.getValue()).append("\r\n");
    }
    byte[] bytes = lines.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuf message = ctx.alloc().buffer(5 + bytes.length);
    return message.writeByte(TRAILERS_FLAG).writeInt(bytes.length).writeBytes(bytes);
  }

  /**
   * Returns {@code bytes} (released) in base64, after the carry; keeps up to two bytes for the next
   * call unless {@code last}.
   */
  private ByteBuf encode(ChannelHandlerContext ctx, ByteBuf bytes, boolean last) {
    ByteBuf all = bytes;
    if (carry != null) {
      all = ctx.alloc().compositeBuffer().addComponents(true, carry, bytes);
      carry = null;
    }
    try {
      int whole = last ? all.readableBytes() : all.readableBytes() / 3 * 3;
      byte[] chunk = ByteBufUtil.getBytes(all, all.readerIndex(), whole, false);
      all.skipBytes(whole);
      if (all.isReadable()) {
        carry = ctx.alloc().buffer(2).writeBytes(all);
      }
      byte[] encoded = Base64.getEncoder().encode(chunk);
      return ctx.alloc().buffer(encoded.length).writeBytes(encoded);
    } finally {
      all.release();
    }
  }
}
