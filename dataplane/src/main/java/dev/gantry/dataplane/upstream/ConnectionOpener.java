package dev.gantry.dataplane.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Opens a pooled connection, in cleartext or over TLS: with TLS the handler goes first in the
 * pipeline, and the connection counts as established only once the handshake succeeded (and, for
 * HTTP/2, the endpoint agreed to h2 by ALPN). Shared by the HTTP/1.1 and HTTP/2 pools.
 */
final class ConnectionOpener {

  private ConnectionOpener() {}

  /**
   * Connects to {@code address} on {@code loop}; {@code install} adds the protocol's handlers
   * (after the TLS handler when {@code tls}, which may be null, is given). The future completes
   * once the connection is usable; a failed handshake fails it with {@link
   * UpstreamException.Kind#TLS_HANDSHAKE} and closes the channel. The handshake may take the
   * connect timeout.
   */
  static ChannelFuture open(
      UpstreamConfig config,
      EventLoop loop,
      InetSocketAddress address,
      Duration connectTimeout,
      UpstreamTls tls,
      Consumer<ChannelPipeline> install) {
    Bootstrap bootstrap =
        config
            .bootstrap(loop, connectTimeout)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (tls != null) {
                      SslHandler handler = tls.newHandler(ch.alloc(), address);
                      handler.setHandshakeTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
                      ch.pipeline().addLast(handler);
                    }
                    install.accept(ch.pipeline());
                  }
                });
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
