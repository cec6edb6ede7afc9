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
  private final ConcurrentMap<TlsPoolKey, ConnectionPool> tlsPools = new ConcurrentHashMap<>();
  private final ConcurrentMap<TlsPoolKey, H2cConnectionPool> h2TlsPools = new ConcurrentHashMap<>();

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
    return acquire(loop, address, connectTimeout, ConnectionLimit.NONE, UpstreamTransport.HTTP1);
  }

  @Override
  public Future<UpstreamConnection> acquire(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit) {
    return acquire(loop, address, connectTimeout, limit, UpstreamTransport.HTTP1);
  }

  @Override
  public Future<UpstreamConnection> acquire(
      EventLoop loop,
      InetSocketAddress address,
      Duration connectTimeout,
      ConnectionLimit limit,
      UpstreamTransport transport) {
    requireNonNull(loop, "loop");
    requireNonNull(address, "address");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(limit, "limit");
    requireNonNull(transport, "transport");
    if (loop.inEventLoop()) {
      return acquireOnLoop(loop, address, connectTimeout, limit, transport);
    }
    Promise<UpstreamConnection> promise = loop.newPromise();
    loop.execute(
        () ->
            PromiseNotifier.cascade(
                acquireOnLoop(loop, address, connectTimeout, limit, transport), promise));
    return promise;
  }

  private Future<UpstreamConnection> acquireOnLoop(
      EventLoop loop,
      InetSocketAddress address,
      Duration connectTimeout,
      ConnectionLimit limit,
      UpstreamTransport transport) {
    UpstreamTls tls = transport.tls().orElse(null);
    return switch (transport.protocol()) {
      case HTTP1 ->
          (tls == null
                  ? pools.computeIfAbsent(loop, l -> new ConnectionPool(l, config, metrics, null))
                  : tlsPools.computeIfAbsent(
                      new TlsPoolKey(loop, tls.identity()),
                      k -> new ConnectionPool(loop, config, metrics, tls)))
              .acquire(address, connectTimeout, limit);
      case H2C ->
          (tls == null
                  ? h2cPools.computeIfAbsent(
                      loop, l -> new H2cConnectionPool(l, config, h2c, metrics, null))
                  : h2TlsPools.computeIfAbsent(
                      new TlsPoolKey(loop, tls.identity()),
                      k -> new H2cConnectionPool(loop, config, h2c, metrics, tls)))
              .acquire(address, connectTimeout, limit);
    };
  }

  /**
   * A TLS pool's key: connections with different TLS settings are never shared. A pool whose
   * settings no snapshot uses any more keeps only idle connections, which its idle timeout closes.
   */
  private record TlsPoolKey(EventLoop loop, String identity) {}
}
