package dev.gantry.dataplane.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Hands out upstream connections; {@link UpstreamPools} is the real one, tests supply their own.
 */
@FunctionalInterface
public interface UpstreamConnector {

  /**
   * Returns a future connection to {@code address} bound to {@code loop}, the downstream channel's
   * event loop. The future completes on {@code loop}; when it fails, the cause is an {@link
   * UpstreamException}. Never blocks.
   */
  Future<UpstreamConnection> acquire(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout);

  /**
   * As {@link #acquire(EventLoop, InetSocketAddress, Duration)}, but a new connection is opened
   * only if {@code limit} admits it; otherwise the future fails with {@link
   * UpstreamException.Kind#CONNECTION_LIMIT}. An idle pooled connection is always handed out.
   */
  default Future<UpstreamConnection> acquire(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout, ConnectionLimit limit) {
    return acquire(loop, address, connectTimeout);
  }

  /**
   * As {@link #acquire(EventLoop, InetSocketAddress, Duration, ConnectionLimit)}, over {@code
   * transport}: for HTTP/2 the connection is one stream on a shared connection (only opening a new
   * connection counts against {@code limit}); over TLS a new connection is handed out once its
   * handshake succeeded, and a failed handshake fails the future with {@link
   * UpstreamException.Kind#TLS_HANDSHAKE}. The default ignores the transport (for connectors that
   * speak only cleartext HTTP/1.1, such as tests' fakes).
   */
  default Future<UpstreamConnection> acquire(
      EventLoop loop,
      InetSocketAddress address,
      Duration connectTimeout,
      ConnectionLimit limit,
      UpstreamTransport transport) {
    return acquire(loop, address, connectTimeout, limit);
  }

  /**
   * Returns a new HTTP/1.1 connection to {@code address} bound to {@code loop}, over TLS when
   * {@code transport} has it, that is never handed out again: {@link UpstreamConnection#release()}
   * closes it. For an exchange that may take the connection over (a WebSocket upgrade). Counts
   * against {@code limit} until it closes. The default acquires as usual (for tests' fakes).
   */
  default Future<UpstreamConnection> connectUnpooled(
      EventLoop loop,
      InetSocketAddress address,
      Duration connectTimeout,
      ConnectionLimit limit,
      UpstreamTransport transport) {
    return acquire(loop, address, connectTimeout, limit, transport);
  }
}
