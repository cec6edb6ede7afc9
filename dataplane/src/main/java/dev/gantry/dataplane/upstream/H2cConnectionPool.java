package dev.gantry.dataplane.upstream;

import dev.gantry.dataplane.channel.IdleTimeoutHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the HTTP/2 (h2c, prior knowledge) connections of one event loop, per endpoint, and leases
 * their streams: each exchange gets a stream on the first connection with room, and a new
 * connection opens only when every one is at the peer's stream limit or going away.
 *
 * <p>Confined to its event loop, like {@link ConnectionPool}.
 */
final class H2cConnectionPool {

  private final EventLoop loop;
  private final UpstreamConfig config;
  private final H2cConfig h2c;
  private final UpstreamPoolMetrics metrics;
  private final UpstreamTls tls; // null: cleartext (h2c); else h2 by ALPN
  private final Map<InetSocketAddress, List<H2cConnection>> connections = new HashMap<>();

  H2cConnectionPool(
      EventLoop loop,
      UpstreamConfig config,
      H2cConfig h2c,
      UpstreamPoolMetrics metrics,
      UpstreamTls tls) {
    this.loop = loop;
    this.tls = tls;
    this.config = config;
    this.h2c = h2c;
    this.metrics = metrics;
  }

  /**
   * Returns a future stream to {@code address}, on a shared connection or on a new one if {@code
   * limit} admits it (a connection counts against the limit it was opened under while it is open).
   */
  Future<UpstreamConnection> acquire(
      InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit) {
    Promise<UpstreamConnection> promise = loop.newPromise();
    lease(address, connectTimeout, limit, promise);
    return promise;
  }

  /**
   * Leases a stream for {@code promise} on the first connection with room, or on a new one; also
   * used for a lease its connection turned out to have no room for.
   */
  void lease(
      InetSocketAddress address,
      Duration connectTimeout,
      ConnectionLimit limit,
      Promise<UpstreamConnection> promise) {
    List<H2cConnection> open = connections.get(address);
    if (open != null) {
      for (int i = 0; i < open.size(); i++) {
        H2cConnection connection = open.get(i);
        if (connection.tryLease(promise)) {
          return;
        }
        if (i < open.size() && open.get(i) != connection) {
          i--; // it left the list (a GOAWAY it had not seen yet): the next one took its place
        }
      }
    }
    if (!limit.tryOpen()) {
      promise.tryFailure(
          new UpstreamException(
              UpstreamException.Kind.CONNECTION_LIMIT,
              "the cluster's connection limit is reached; not connecting to " + address));
      return;
    }
    H2cConnection connection = connect(address, connectTimeout, limit);
    if (!connection.tryLease(promise)) { // a new connection has room unless it failed already
      promise.tryFailure(connection.failure());
      return;
    }
    connections.computeIfAbsent(address, a -> new ArrayList<>(2)).add(connection);
  }

  /** Drops a connection that is closed or going away: it takes no new streams. */
  void forget(InetSocketAddress address, H2cConnection connection) {
    List<H2cConnection> open = connections.get(address);
    if (open != null && open.remove(connection) && open.isEmpty()) {
      connections.remove(address);
    }
  }

  private H2cConnection connect(
      InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit) {
    H2cConnection connection =
        new H2cConnection(this, address, connectTimeout, limit, metrics, config.idleTimeout());
    ConnectionOpener.open(
            config, loop, address, connectTimeout, tls, pipeline -> install(pipeline, connection))
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                limit.closed();
                forget(address, connection);
                connection.failed(ConnectionOpener.failure(address, f.cause()));
                f.channel().close();
                return;
              }
              metrics.opened(UpstreamProtocol.H2C, 1);
              f.channel()
                  .closeFuture()
                  .addListener(
                      c -> {
                        metrics.opened(UpstreamProtocol.H2C, -1);
                        limit.closed();
                      });
              // An endpoint that accepts the connection but never speaks HTTP/2 fails as a
              // connect timeout.
              loop.schedule(
                  connection::settingsTimedOut, connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
            });
    return connection;
  }

  /**
   * Adds the HTTP/2 client codec with Netty's protections, the multiplexer and the idle timeout.
   */
  private void install(ChannelPipeline pipeline, H2cConnection connection) {
    Http2FrameCodec codec =
        Http2FrameCodecBuilder.forClient()
            .initialSettings(
                Http2Settings.defaultSettings()
                    .pushEnabled(false)
                    .initialWindowSize(h2c.initialStreamWindow())
                    .maxHeaderListSize(h2c.maxHeaderListSize()))
            .decoderEnforceMaxRstFramesPerWindow(
                h2c.maxRstFramesPerWindow(), (int) h2c.rstFramesWindow().toSeconds())
            .encoderEnforceMaxQueuedControlFrames(h2c.maxQueuedControlFrames())
            .decoderEnforceMaxConsecutiveEmptyDataFrames(h2c.maxConsecutiveEmptyDataFrames())
            .validateHeaders(true)
            .build();
    pipeline.addLast("h2-frame-codec", codec);
    // Push is off, so the peer opens no streams; one that tries is refused by the codec.
    pipeline.addLast(
        "h2-multiplex",
        new Http2MultiplexHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.close();
              }
            }));
    pipeline.addLast("idle-timeout", new IdleTimeoutHandler(config.idleTimeout()));
    pipeline.addLast(
        "h2-connection",
        connection.bind(pipeline.channel(), codec.connection(), h2c.connectionWindow()));
  }
}
