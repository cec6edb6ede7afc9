package dev.gantry.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opens unpooled raw TCP connections for relays (TLS passthrough), with the transport and resolver
 * of the pooled ones. Each connection reads only when asked and keeps its output open when the
 * endpoint half-closes, so that a relay passes a FIN on rather than a close. Thread-safe.
 */
public final class TcpConnector {

  private final UpstreamConfig config;

  public TcpConnector(UpstreamConfig config) {
    this.config = requireNonNull(config, "config");
  }

  /**
   * Connects to {@code address} on {@code loop} (the client channel's, so the relay needs no
   * hand-off between threads) with {@code handler} as the only handler. Never blocks; the future
   * completes on {@code loop}.
   */
  public ChannelFuture connect(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout, ChannelHandler handler) {
    return config
        .bootstrap(loop, connectTimeout)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .handler(handler)
        .connect(address);
  }
}
