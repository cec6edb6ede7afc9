package dev.gantry.dataplane.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opening a pooled connection over TLS: the handler goes first in the pipeline, and the connection
 * counts as established only once the handshake succeeded (and, for HTTP/2, the endpoint agreed to
 * h2 by ALPN). Shared by the HTTP/1.1 and HTTP/2 pools.
 */
final class UpstreamTlsHandshake {

  private UpstreamTlsHandshake() {}

  /** Returns the TLS handler for a new connection; the handshake may take the connect timeout. */
  static SslHandler handler(
      UpstreamTls tls, Channel ch, InetSocketAddress address, Duration connectTimeout) {
    SslHandler handler = tls.newHandler(ch.alloc(), address);
    handler.setHandshakeTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
    return handler;
  }

  /**
   * Connects; with {@code tls} (may be null) the future completes after the handshake. A failed
   * handshake fails it with {@link UpstreamException.Kind#TLS_HANDSHAKE} and closes the channel.
   */
  static ChannelFuture connect(Bootstrap bootstrap, InetSocketAddress address, UpstreamTls tls) {
    ChannelFuture connected = bootstrap.connect(address);
    if (tls == null) {
      return connected;
    }
    Channel channel = connected.channel();
    ChannelPromise established = channel.newPromise();
    connected.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            established.tryFailure(f.cause());
            return;
          }
          SslHandler ssl = channel.pipeline().get(SslHandler.class);
          ssl.handshakeFuture()
              .addListener(
                  h -> {
                    String problem =
                        !h.isSuccess()
                            ? UpstreamTls.rootMessage(h.cause())
                            : tls.protocol() == UpstreamProtocol.H2C
                                    && !ApplicationProtocolNames.HTTP_2.equals(
                                        ssl.applicationProtocol())
                                ? "the endpoint did not agree to HTTP/2 (ALPN h2)"
                                : null;
                    if (problem == null) {
                      established.trySuccess();
                      return;
                    }
                    established.tryFailure(
                        new UpstreamException(
                            UpstreamException.Kind.TLS_HANDSHAKE,
                            "TLS handshake with "
                                + address
                                + (tls.serverName().isEmpty() ? "" : " as " + tls.serverName())
                                + " failed: "
                                + problem));
                    channel.close();
                  });
        });
    return established;
  }

  /** Returns the failure to report for a connection that could not be established. */
  static UpstreamException failure(InetSocketAddress address, Throwable cause) {
    return cause instanceof UpstreamException e
        ? e
        : new UpstreamException(
            UpstreamException.classify(cause),
            "cannot connect to " + address + ": " + cause.getMessage());
  }
}
