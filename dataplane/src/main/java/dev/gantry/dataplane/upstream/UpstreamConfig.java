package dev.gantry.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import java.time.Duration;

/**
 * Configures the upstream connection pools.
 *
 * @param channelType the socket channel class matching the event loops' transport (epoll or NIO)
 * @param resolver resolves endpoints given as DNS names when a connection opens; must not block
 *     (e.g. {@code DnsAddressResolverGroup}); owned by the caller
 * @param idleTimeout how long a connection may stay silent, idle in a pool or mid-exchange, before
 *     it is closed (default 60 s)
 * @param maxIdlePerEndpoint most idle connections kept per endpoint and event loop (default 320,
 *     ingress-nginx's upstream-keepalive-connections: a cap below the client concurrency closes and
 *     reopens upstream connections all the time, which costs more than the whole exchange)
 */
public record UpstreamConfig(
    Class<? extends Channel> channelType,
    AddressResolverGroup<?> resolver,
    Duration idleTimeout,
    int maxIdlePerEndpoint) {

  /** Default {@link #idleTimeout()}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Default {@link #maxIdlePerEndpoint()}. */
  public static final int DEFAULT_MAX_IDLE_PER_ENDPOINT = 320;

  public UpstreamConfig {
    requireNonNull(channelType, "channelType");
    requireNonNull(resolver, "resolver");
    requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
    }
    if (maxIdlePerEndpoint < 0) {
      throw new IllegalArgumentException(
          "maxIdlePerEndpoint: " + maxIdlePerEndpoint + " (expected: >= 0)");
    }
  }

  /** Returns the defaults for {@code channelType}, resolving names with {@code resolver}. */
  public static UpstreamConfig defaults(
      Class<? extends Channel> channelType, AddressResolverGroup<?> resolver) {
    return new UpstreamConfig(
        channelType, resolver, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_IDLE_PER_ENDPOINT);
  }

  /**
   * Returns a bootstrap for one upstream connection on {@code loop}: this config's transport and
   * resolver, {@code connectTimeout}, and Nagle off. The caller adds the handler.
   */
  Bootstrap bootstrap(EventLoop loop, Duration connectTimeout) {
    return new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .resolver(resolver);
  }
}
