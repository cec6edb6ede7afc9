package dev.gantry.dataplane.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Netty's {@link SniHandler} picking from the current {@link CertificateTable}. It keeps the server
 * name and the policy of the host selected on the connection ({@link TlsConnection}), and once the
 * handshake verified a client certificate, its X-Forwarded-Client-Cert value: computed once per
 * connection, before the first request is read.
 *
 * <p>A refused handshake ends cleanly: a fatal {@code unrecognized_name} alert (RFC 6066 §3) when
 * no certificate serves the name, {@code handshake_failure} when the host's policy could not be
 * built; the client reports that rather than a reset. The handler then closes and ignores the hello
 * when the closing channel hands it over again. Otherwise it replaces itself with the {@code
 * SslHandler} of the context selected. One instance per connection; confined to the channel's event
 * loop.
 */
final class CertificateSniHandler extends SniHandler {

  /** A TLS alert record, as sent before any key is agreed: fatal (2), unrecognized_name (112). */
  private static final byte[] UNRECOGNIZED_NAME = {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x70};

  /** Fatal (2), handshake_failure (40). */
  private static final byte[] HANDSHAKE_FAILURE = {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28};

  private final Function<String, Selection> selector;
  private boolean refused;
  private Channel connection;
  private TlsPolicy policy;

  /**
   * @param selector the selection for a server name ({@code null} when none was sent), or null when
   *     no certificate serves it
   */
  CertificateSniHandler(Function<String, Selection> selector) {
    // lookup() asks the selector: the mapping is never asked.
    super((String hostname, io.netty.util.concurrent.Promise<SslContext> promise) -> promise);
    this.selector = selector;
  }

  @Override
  protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
    connection = ctx.channel();
    connection.attr(ServerName.KEY).set(hostname);
    Selection selection = selector.apply(hostname);
    if (selection != null && !selection.refused()) {
      policy = selection.policy();
      connection.attr(TlsConnection.POLICY).set(policy);
      return ctx.executor().newSucceededFuture(selection.context());
    }
    refused = true;
    // Written from here, it passes no handler of the hello's; the failure itself goes on to the
    // handlers behind, which count it and close.
    ctx.writeAndFlush(
            Unpooled.wrappedBuffer(selection == null ? UNRECOGNIZED_NAME : HANDSHAKE_FAILURE))
        .addListener(ChannelFutureListener.CLOSE);
    String name = hostname == null ? "(none sent)" : hostname;
    return ctx.executor()
        .newFailedFuture(
            new SSLHandshakeException(
                selection == null
                    ? "no certificate for server name " + name + " and no default certificate"
                    : "the TLS policy of virtual host "
                        + selection.host()
                        + " cannot be built, server name "
                        + name));
  }

  @Override
  protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
    SslHandler handler = super.newSslHandler(context, allocator);
    if (policy != null && policy.clientValidation() != null) {
      // Runs before the handshake-completion event goes down the pipeline, so before any request.
      handler
          .handshakeFuture()
          .addListener(
              done -> {
                if (done.isSuccess()) {
                  recordClientCertificate(handler);
                }
              });
    }
    return handler;
  }

  private void recordClientCertificate(SslHandler handler) {
    Certificate[] chain;
    try {
      chain = handler.engine().getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return; // optional validation and no certificate sent
    }
    if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
      connection
          .attr(TlsConnection.CLIENT_CERT)
          .set(ForwardedClientCert.format(leaf, policy.clientValidation().forwardCertificate()));
    }
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
