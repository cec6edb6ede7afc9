package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * Chooses between HTTP/1.1 (with h2c upgrade) and HTTP/2 by prior knowledge from a connection's
 * first bytes: puts the HTTP/1.1 codec and the upgrade handler behind itself, and if the bytes are
 * the HTTP/2 connection preface, swaps them for the HTTP/2 handlers and fires {@link
 * ProtocolSelectionHandler#HTTP2_IN_PLACE}. Removes itself either way. Netty's {@code
 * CleartextHttp2ServerUpgradeHandler} does the same but only with Netty's own lenient HTTP/1.1
 * codec; this takes Gantry's strict one.
 */
final class PrefaceDetector extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final ChannelHandler http1Codec;
  private final ChannelHandler upgradeHandler;
  private final ChannelHandler http2Handlers;

  PrefaceDetector(
      ChannelHandler http1Codec, ChannelHandler upgradeHandler, ChannelHandler http2Handlers) {
    this.http1Codec = requireNonNull(http1Codec, "http1Codec");
    this.upgradeHandler = requireNonNull(upgradeHandler, "upgradeHandler");
    this.http2Handlers = requireNonNull(http2Handlers, "http2Handlers");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.pipeline()
        .addAfter(ctx.name(), null, upgradeHandler)
        .addAfter(ctx.name(), null, http1Codec);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int length = PREFACE.readableBytes();
    int seen = Math.min(in.readableBytes(), length);
    if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), seen)) {
      ctx.pipeline().remove(this); // HTTP/1.1: the bytes go on to the codec
    } else if (seen == length) {
      ctx.pipeline().remove(http1Codec).remove(upgradeHandler);
      ctx.pipeline().addAfter(ctx.name(), null, http2Handlers);
      ctx.pipeline().remove(this);
      ctx.fireUserEventTriggered(ProtocolSelectionHandler.HTTP2_IN_PLACE);
    }
  }
}
