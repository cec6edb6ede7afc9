package dev.gantry.dataplane.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import java.util.List;

/**
 * Netty's {@link SniHandler} that refuses a server name no certificate serves cleanly: it answers
 * with a fatal {@code unrecognized_name} alert (RFC 6066 §3), so the client reports that rather
 * than a reset, closes, and ignores the hello when the closing channel hands it over again.
 * Otherwise it replaces itself with the {@code SslHandler} of the certificate selected. One
 * instance per connection; confined to the channel's event loop.
 */
final class CertificateSniHandler extends SniHandler {

  /** A TLS alert record, as sent before any key is agreed: fatal (2), unrecognized_name (112). */
  private static final byte[] UNRECOGNIZED_NAME = {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x70};

  private boolean refused;

  CertificateSniHandler(AsyncMapping<String, SslContext> mapping) {
    super(mapping);
  }

  @Override
  protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) throws Exception {
    ctx.channel().attr(ServerName.KEY).set(hostname);
    Future<SslContext> selected = super.lookup(ctx, hostname);
    refused = selected.isDone() && !selected.isSuccess(); // the mapping answers at once
    if (refused) {
      // Written from here, it passes no handler of the hello's; the failure itself goes on to
      // the handlers behind, which count it and close.
      ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME))
          .addListener(ChannelFutureListener.CLOSE);
    }
    return selected;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes()); // the ClientHello again, as the channel closes
      return;
    }
    super.decode(ctx, in, out);
  }
}
