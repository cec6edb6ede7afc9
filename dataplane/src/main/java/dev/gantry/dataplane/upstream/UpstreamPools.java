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
import java.util.HashMap;
import java.util.Map;
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
  // Per event loop, then per TLS identity ("" for cleartext): connections with different TLS
  // settings are never shared. The inner maps are touched only on their loop. A pool whose settings
  // no snapshot uses any more keeps only idle connections, which its idle timeout closes.
  private final ConcurrentMap<EventLoop, Map<String, ConnectionPool>> http1Pools =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<EventLoop, Map<String, H2cConnectionPool>> http2Pools =
      new ConcurrentHashMap<>();

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

  /**
   * {@inheritDoc} Only for HTTP/1.1 transports: an HTTP/2 one fails the future with {@link
   * UpstreamException.Kind#PROTOCOL_ERROR}.
   */
  @Override
  public Future<UpstreamConnection> connectUnpooled(
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
    if (transport.protocol() != UpstreamProtocol.HTTP1) {
      return loop.newFailedFuture(
          new UpstreamException(
              UpstreamException.Kind.PROTOCOL_ERROR,
              "protocol: " + transport.protocol() + " (expected: HTTP1 for a new connection)"));
    }
    UpstreamTls tls = transport.tls().orElse(null);
    if (loop.inEventLoop()) {
      return http1Pool(loop, tls).connectUnpooled(address, connectTimeout, limit);
    }
    Promise<UpstreamConnection> promise = loop.newPromise();
    loop.execute(
        () ->
            PromiseNotifier.cascade(
                http1Pool(loop, tls).connectUnpooled(address, connectTimeout, limit), promise));
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
      case HTTP1 -> http1Pool(loop, tls).acquire(address, connectTimeout, limit);
      case H2C -> http2Pool(loop, tls).acquire(address, connectTimeout, limit);
    };
  }

  // The lookups run per request: plain gets, no lambda or key allocated once the pool exists.

  private ConnectionPool http1Pool(EventLoop loop, UpstreamTls tls) {
    Map<String, ConnectionPool> ofLoop = ofLoop(http1Pools, loop);
    String key = tls == null ? "" : tls.identity();
    ConnectionPool pool = ofLoop.get(key);
    if (pool == null) {
      pool = new ConnectionPool(loop, config, metrics, tls);
      ofLoop.put(key, pool);
    }
    return pool;
  }

  private H2cConnectionPool http2Pool(EventLoop loop, UpstreamTls tls) {
    Map<String, H2cConnectionPool> ofLoop = ofLoop(http2Pools, loop);
    String key = tls == null ? "" : tls.identity();
    H2cConnectionPool pool = ofLoop.get(key);
    if (pool == null) {
      pool = new H2cConnectionPool(loop, config, h2c, metrics, tls);
      ofLoop.put(key, pool);
    }
    return pool;
  }

  /** Returns {@code loop}'s pools by TLS identity; called on {@code loop}. */
  private static <P> Map<String, P> ofLoop(
      ConcurrentMap<EventLoop, Map<String, P>> pools, EventLoop loop) {
    Map<String, P> ofLoop = pools.get(loop);
    if (ofLoop == null) {
      ofLoop = new HashMap<>();
      pools.put(loop, ofLoop); // only this loop's thread puts its own entry
    }
    return ofLoop;
  }
}
