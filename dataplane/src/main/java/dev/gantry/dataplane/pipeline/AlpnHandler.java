package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the protocol handlers TLS negotiated behind itself once the handshake is done, and leaves:
 * for {@code h2} the HTTP/2 frame codec and multiplexer, then {@link
 * ProtocolSelectionHandler#HTTP2_IN_PLACE}; for {@code http/1.1}, or a client that offered no ALPN,
 * the strict HTTP/1.1 codec (with no h2c upgrade: that is for cleartext only). The {@link
 * ProtocolSelectionHandler} behind takes it from there as on cleartext.
 *
 * <p>A failed handshake (no certificate for the server name, a protocol version or cipher the
 * client and Gantry do not share, a client that is not speaking TLS) closes the connection with a
 * debug log line and a count: scanners make these common, and the client saw the alert. One
 * instance per connection; confined to the channel's event loop.
 */
final class AlpnHandler extends ApplicationProtocolNegotiationHandler {

  private static final Logger log = LoggerFactory.getLogger(AlpnHandler.class);

  private final Supplier<ChannelHandler> http1Codec;
  private final Supplier<ChannelHandler> http2Codec;
  private final Supplier<ChannelHandler> http2Multiplex;
  private final ProxyMetrics metrics;

  AlpnHandler(
      Supplier<ChannelHandler> http1Codec,
      Supplier<ChannelHandler> http2Codec,
      Supplier<ChannelHandler> http2Multiplex,
      ProxyMetrics metrics) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.http1Codec = requireNonNull(http1Codec, "http1Codec");
    this.http2Codec = requireNonNull(http2Codec, "http2Codec");
    this.http2Multiplex = requireNonNull(http2Multiplex, "http2Multiplex");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      ctx.pipeline()
          .addAfter(ctx.name(), "h2-frame-codec", http2Codec.get())
          .addAfter("h2-frame-codec", "h2-multiplex", http2Multiplex.get());
      ctx.fireUserEventTriggered(ProtocolSelectionHandler.HTTP2_IN_PLACE);
    } else {
      ctx.pipeline().addAfter(ctx.name(), "http1-codec", http1Codec.get());
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    metrics.tlsHandshakeFailed();
    log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
