package dev.gantry.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseNotifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Hands out pooled upstream connections, one pool per (event loop, endpoint, protocol): HTTP/1.1
 * connections reused only after a complete response, and HTTP/2 (h2c) connections whose streams
 * carry many exchanges at once. Idle connections close after {@link UpstreamConfig#idleTimeout()}.
 * Pool sizes are gauges (see {@link UpstreamPoolMetrics}).
 *
 * <p>Safe from any thread; the work happens on the given event loop and never blocks it.
 */
public final class UpstreamPools implements UpstreamConnector {

  private final UpstreamConfig config;
  private final H2cConfig h2c;
  private final UpstreamPoolMetrics metrics;
  private final ConcurrentMap<EventLoop, ConnectionPool> pools = new ConcurrentHashMap<>();
  private final ConcurrentMap<EventLoop, H2cConnectionPool> h2cPools = new ConcurrentHashMap<>();

  /** Creates pools whose metrics go nowhere, with the HTTP/2 defaults; for tests. */
  public UpstreamPools(UpstreamConfig config) {
    this(config, H2cConfig.defaults(), new SimpleMeterRegistry());
  }

  public UpstreamPools(UpstreamConfig config, H2cConfig h2c, MeterRegistry registry) {
    this.config = requireNonNull(config, "config");
    this.h2c = requireNonNull(h2c, "h2c");
    this.metrics = new UpstreamPoolMetrics(requireNonNull(registry, "registry"));
  }

  @Override
  public Future<UpstreamConnection> acquire(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout) {
    return acquire(loop, address, connectTimeout, ConnectionLimit.NONE, UpstreamProtocol.HTTP1);
  }

  @Override
  public Future<UpstreamConnection> acquire(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit) {
    return acquire(loop, address, connectTimeout, limit, UpstreamProtocol.HTTP1);
  }

  @Override
  public Future<UpstreamConnection> acquire(
      EventLoop loop,
      InetSocketAddress address,
      Duration connectTimeout,
      ConnectionLimit limit,
      UpstreamProtocol protocol) {
    requireNonNull(loop, "loop");
    requireNonNull(address, "address");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(limit, "limit");
    requireNonNull(protocol, "protocol");
    if (loop.inEventLoop()) {
      return acquireOnLoop(loop, address, connectTimeout, limit, protocol);
    }
    Promise<UpstreamConnection> promise = loop.newPromise();
    loop.execute(
        () ->
            PromiseNotifier.cascade(
                acquireOnLoop(loop, address, connectTimeout, limit, protocol), promise));
    return promise;
  }

  private Future<UpstreamConnection> acquireOnLoop(
      EventLoop loop,
      InetSocketAddress address,
      Duration connectTimeout,
      ConnectionLimit limit,
      UpstreamProtocol protocol) {
    return switch (protocol) {
      case HTTP1 ->
          pools
              .computeIfAbsent(loop, l -> new ConnectionPool(l, config, metrics))
              .acquire(address, connectTimeout, limit);
      case H2C ->
          h2cPools
              .computeIfAbsent(loop, l -> new H2cConnectionPool(l, config, h2c, metrics))
              .acquire(address, connectTimeout, limit);
    };
  }
}
