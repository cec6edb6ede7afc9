package dev.gantry.dataplane.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection to an upstream endpoint, shared by as many exchanges as the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS allows, each on a stream of its own. Streams are leased before
 * the peer's SETTINGS arrive (assuming {@link #ASSUMED_MAX_STREAMS}) and opened once they have;
 * leases beyond the peer's actual limit go back to the pool for another connection. After a GOAWAY
 * no stream is leased; streams in flight finish and the connection closes when the last one has.
 * With no stream open for the idle timeout it closes.
 *
 * <p>Confined to its channel's event loop.
 */
final class H2cConnection {

  private static final Logger log = LoggerFactory.getLogger(H2cConnection.class);

  /** Streams leased before the peer's SETTINGS say how many it takes (RFC 9113 suggests 100+). */
  static final int ASSUMED_MAX_STREAMS = 100;

  private final H2cConnectionPool pool;
  private final InetSocketAddress address;
  private final Duration connectTimeout;
  private final ConnectionLimit limit;
  private Channel channel;
  private Http2Connection http2;
  private final UpstreamPoolMetrics metrics;
  private final ChannelInitializer<Http2StreamChannel> streamInitializer;
  private final ArrayDeque<Promise<UpstreamConnection>> waiting = new ArrayDeque<>();
  private int maxStreams = ASSUMED_MAX_STREAMS;
  private int leased;
  private boolean ready;
  private boolean goingAway;
  private boolean closed;
  private boolean countedIdle;
  private UpstreamException failure;

  H2cConnection(
      H2cConnectionPool pool,
      InetSocketAddress address,
      Duration connectTimeout,
      ConnectionLimit limit,
      UpstreamPoolMetrics metrics,
      Duration idleTimeout) {
    this.pool = pool;
    this.address = address;
    this.connectTimeout = connectTimeout;
    this.limit = limit;
    this.metrics = metrics;
    this.streamInitializer =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Http2StreamChannel stream) {
            UpstreamConnection.installStream(stream.pipeline(), idleTimeout, http2);
          }
        };
  }

  /**
   * Binds this connection to its channel, as it is initialized, and returns the handler that
   * follows the multiplexer in its pipeline.
   */
  ChannelInboundHandlerAdapter bind(Channel bound, Http2Connection codec, int connectionWindow) {
    channel = bound;
    http2 = codec;
    return new Handler(connectionWindow);
  }

  /**
   * Takes a stream for {@code promise} if the connection has room; returns false if it has none
   * (closed, going away, or at the peer's stream limit).
   */
  boolean tryLease(Promise<UpstreamConnection> promise) {
    if (!goingAway && http2 != null && http2.goAwayReceived()) {
      // The codec has read a GOAWAY that this connection's handler has not seen yet: Netty tells
      // the refused streams first, and their exchanges may be retrying right now.
      goAway();
    }
    if (closed || goingAway || leased >= maxStreams) {
      return false;
    }
    leased++;
    updateIdle();
    if (ready) {
      open(promise);
    } else {
      waiting.add(promise);
    }
    return true;
  }

  /** Fails the waiting leases: the connection could not be established or closed. */
  void failed(UpstreamException cause) {
    closed = true;
    failure = cause;
    Promise<UpstreamConnection> promise;
    while ((promise = waiting.poll()) != null) {
      leased--;
      promise.tryFailure(cause);
    }
  }

  /** Returns why the connection failed, once it has. */
  UpstreamException failure() {
    return failure;
  }

  /** Closes the connection if it is still waiting for the peer's SETTINGS. */
  void settingsTimedOut() {
    if (!ready && !closed) {
      failed(
          new UpstreamException(
              UpstreamException.Kind.CONNECT_TIMEOUT,
              "no HTTP/2 SETTINGS from " + address + " within " + connectTimeout));
      channel.close();
    }
  }

  private void onSettings(Http2SettingsFrame frame) {
    Long peerMax = frame.settings().maxConcurrentStreams();
    maxStreams = peerMax == null ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, peerMax);
    if (ready) {
      return;
    }
    ready = true;
    // Streams for the first waiters, up to the peer's limit; the others try another connection.
    int room = maxStreams - (leased - waiting.size());
    Promise<UpstreamConnection> promise;
    while ((promise = waiting.poll()) != null) {
      if (room-- > 0) {
        open(promise);
      } else if (maxStreams == 0) {
        // Another connection would say the same: refuse rather than open one after another.
        leased--;
        promise.tryFailure(
            new UpstreamException(
                UpstreamException.Kind.PROTOCOL_ERROR,
                "upstream " + address + " allows no concurrent streams"));
      } else {
        leased--;
        pool.lease(address, connectTimeout, limit, promise);
      }
    }
    updateIdle();
  }

  private void open(Promise<UpstreamConnection> promise) {
    new Http2StreamChannelBootstrap(channel)
        .handler(streamInitializer)
        .open()
        .addListener(
            (Future<Http2StreamChannel> opened) -> {
              if (!opened.isSuccess()) {
                released();
                promise.tryFailure(
                    new UpstreamException(
                        UpstreamException.classify(opened.cause()),
                        "cannot open a stream to " + address + ": " + opened.cause()));
                return;
              }
              Http2StreamChannel stream = opened.getNow();
              metrics.streams(1);
              stream
                  .closeFuture()
                  .addListener(
                      closed -> {
                        metrics.streams(-1);
                        released();
                      });
              // A stream serves one exchange: releasing it closes it (cleanly, once both sides
              // have ended; else with RST_STREAM).
              UpstreamConnection connection =
                  UpstreamConnection.of(stream, leasedStream -> leasedStream.channel().close());
              if (!promise.trySuccess(connection)) {
                stream.close();
              }
            });
  }

  /** Takes no new streams from now on; closes once the streams in flight have finished. */
  private void goAway() {
    if (goingAway) {
      return;
    }
    metrics.goAway();
    goingAway = true;
    pool.forget(address, this);
    updateIdle();
    if (leased == 0) {
      channel.close();
    }
  }

  private void released() {
    leased--;
    updateIdle();
    if (goingAway && leased == 0) {
      channel.close();
    }
  }

  private void updateIdle() {
    boolean idle = ready && !closed && leased == 0;
    if (idle != countedIdle) {
      countedIdle = idle;
      metrics.idle(UpstreamProtocol.H2C, idle ? 1 : -1);
    }
  }

  private void onClosed() {
    closed = true;
    updateIdle();
    pool.forget(address, this);
    failed(
        new UpstreamException(
            UpstreamException.Kind.RESET, "upstream " + address + " closed the connection"));
  }

  /** Follows the HTTP/2 frame codec and multiplexer; sees the connection-level frames. */
  private final class Handler extends ChannelInboundHandlerAdapter {

    private final int connectionWindow;

    Handler(int connectionWindow) {
      this.connectionWindow = connectionWindow;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      // The preface is out (the codec sits in front): raise the connection's receive window, which
      // SETTINGS cannot do. The codec tops it up to this size as the proxy consumes data.
      Http2Connection connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
      int current =
          connection.local().flowController().initialWindowSize(connection.connectionStream());
      if (connectionWindow > current) {
        ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(connectionWindow - current));
      }
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2SettingsFrame settings) {
          onSettings(settings);
        } else if (msg instanceof Http2GoAwayFrame goAway) {
          log.debug(
              "upstream {} sent GOAWAY ({}, last stream {})",
              address,
              goAway.errorCode(),
              goAway.lastStreamId());
          goAway();
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        if (leased == 0) {
          ctx.close(); // GOAWAY first, through the codec
        }
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onClosed();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Connection errors are answered by the codec (GOAWAY, close); stream errors reach the
      // stream's own exchange.
      log.debug("HTTP/2 upstream connection {}: {}", address, cause.toString());
    }
  }
}
