package dev.gantry.dataplane.upstream;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps idle keep-alive connections of one event loop, per endpoint, and opens new ones on that
 * loop: in cleartext, or all over TLS with the same settings.
 *
 * <p>Confined to its event loop: no locks, and a connection never migrates to another loop (the
 * Netty proxy idiom: downstream and upstream of an exchange share a thread).
 */
final class ConnectionPool {

  private final EventLoop loop;
  private final UpstreamConfig config;
  private final UpstreamPoolMetrics metrics;
  private final UpstreamTls tls; // null: cleartext
  private final Map<InetSocketAddress, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();

  ConnectionPool(
      EventLoop loop, UpstreamConfig config, UpstreamPoolMetrics metrics, UpstreamTls tls) {
    this.loop = loop;
    this.config = config;
    this.metrics = metrics;
    this.tls = tls;
  }

  /**
   * Returns the most recently used live idle connection to {@code address}, or connects a new one
   * if {@code limit} admits it.
   */
  Future<UpstreamConnection> acquire(
      InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit) {
    ArrayDeque<UpstreamConnection> parked = idle.get(address);
    if (parked != null) {
      UpstreamConnection connection;
      while ((connection = parked.pollLast()) != null) {
        metrics.idle(UpstreamProtocol.HTTP1, -1);
        if (connection.isActive()) {
          return loop.newSucceededFuture(connection);
        }
      }
    }
    return open(address, connectTimeout, limit, true);
  }

  /**
   * Connects a new connection to {@code address} if {@code limit} admits it, one that is closed on
   * release instead of parked: for an exchange that may take the connection over.
   */
  Future<UpstreamConnection> connectUnpooled(
      InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit) {
    return open(address, connectTimeout, limit, false);
  }

  private Future<UpstreamConnection> open(
      InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit, boolean pooled) {
    if (!limit.tryOpen()) {
      return loop.newFailedFuture(
          new UpstreamException(
              UpstreamException.Kind.CONNECTION_LIMIT,
              "the cluster's connection limit is reached; not connecting to " + address));
    }
    Future<UpstreamConnection> connected = connect(address, connectTimeout, pooled);
    connected.addListener(
        f -> {
          if (f.isSuccess()) {
            ((UpstreamConnection) f.getNow())
                .channel()
                .closeFuture()
                .addListener(c -> limit.closed());
          } else {
            limit.closed();
          }
        });
    return connected;
  }

  /**
   * Parks a connection whose exchange ended cleanly, under the address it was acquired for (a DNS
   * name stays a name), or closes it when that endpoint has enough parked.
   */
  private void offer(InetSocketAddress address, UpstreamConnection connection) {
    ArrayDeque<UpstreamConnection> parked = idle.computeIfAbsent(address, a -> new ArrayDeque<>());
    if (parked.size() >= config.maxIdlePerEndpoint()) {
      connection.channel().close();
      return;
    }
    parked.addLast(connection);
    metrics.idle(UpstreamProtocol.HTTP1, 1);
  }

  private Future<UpstreamConnection> connect(
      InetSocketAddress address, Duration connectTimeout, boolean pooled) {
    Promise<UpstreamConnection> promise = loop.newPromise();
    ConnectionOpener.open(
            config,
            loop,
            address,
            connectTimeout,
            tls,
            pipeline -> UpstreamConnection.install(pipeline, config.idleTimeout()))
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                UpstreamConnection connection =
                    UpstreamConnection.of(
                        f.channel(), pooled ? c -> offer(address, c) : c -> c.channel().close());
                metrics.opened(UpstreamProtocol.HTTP1, 1);
                f.channel()
                    .closeFuture()
                    .addListener(
                        closed -> {
                          metrics.opened(UpstreamProtocol.HTTP1, -1);
                          forget(address, connection);
                        });
                if (!promise.trySuccess(connection)) {
                  connection.close();
                }
              } else {
                promise.tryFailure(ConnectionOpener.failure(address, f.cause()));
              }
            });
    return promise;
  }

  private void forget(InetSocketAddress address, UpstreamConnection connection) {
    ArrayDeque<UpstreamConnection> parked = idle.get(address);
    if (parked != null) {
      if (parked.remove(connection)) {
        metrics.idle(UpstreamProtocol.HTTP1, -1);
      }
      if (parked.isEmpty()) {
        idle.remove(address);
      }
    }
  }
}
