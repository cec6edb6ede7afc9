package dev.gantry.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseNotifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Hands out pooled HTTP/1.1 upstream connections, one pool per (event loop, endpoint). A connection
 * is reused only after a complete response; idle ones close after {@link
 * UpstreamConfig#idleTimeout()}.
 *
 * <p>Safe from any thread; the work happens on the given event loop and never blocks it.
 */
public final class UpstreamPools implements UpstreamConnector {

  private final UpstreamConfig config;
  private final ConcurrentMap<EventLoop, ConnectionPool> pools = new ConcurrentHashMap<>();

  public UpstreamPools(UpstreamConfig config) {
    this.config = requireNonNull(config, "config");
  }

  @Override
  public Future<UpstreamConnection> acquire(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout) {
    return acquire(loop, address, connectTimeout, ConnectionLimit.NONE);
  }

  @Override
  public Future<UpstreamConnection> acquire(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit) {
    requireNonNull(limit, "limit");
    requireNonNull(address, "address");
    requireNonNull(connectTimeout, "connectTimeout");
    ConnectionPool pool =
        pools.computeIfAbsent(requireNonNull(loop, "loop"), l -> new ConnectionPool(l, config));
    if (loop.inEventLoop()) {
      return pool.acquire(address, connectTimeout, limit);
    }
    Promise<UpstreamConnection> promise = loop.newPromise();
    loop.execute(
        () -> PromiseNotifier.cascade(pool.acquire(address, connectTimeout, limit), promise));
    return promise;
  }
}
