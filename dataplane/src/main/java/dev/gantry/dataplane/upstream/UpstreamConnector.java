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
   * Returns a future connection to {@code address} that speaks {@code protocol}: for {@link
   * UpstreamProtocol#H2C} one HTTP/2 stream, presented as a connection of its own. The default
   * ignores the protocol (for connectors that speak only HTTP/1.1, such as tests' fakes).
   */
  default Future<UpstreamConnection> acquire(
      EventLoop loop,
      InetSocketAddress address,
      Duration connectTimeout,
      UpstreamProtocol protocol) {
    return acquire(loop, address, connectTimeout);
  }
}
