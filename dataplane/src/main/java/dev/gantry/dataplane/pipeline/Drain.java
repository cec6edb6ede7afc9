package dev.gantry.dataplane.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The client connections of one listener, and whether they are being drained for shutdown. Once
 * draining, every response goes out with {@code Connection: close}, connections with no request in
 * flight are closed at once, and an exchange in flight finishes. Connections accepted while
 * draining are served one exchange each. Thread-safe.
 *
 * <pre>
 *   Dataplane.close(): readiness 503 -> (delay) -> listener closed -> start() -> closed() or timeout
 *                                                                        |
 *                 each client channel: DRAIN event -> idle? close : close after this response
 * </pre>
 */
public final class Drain {
  /** The user event {@link DrainHandler} receives on every client channel when draining starts. */
  static final Object DRAIN = new Object();

  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile boolean draining;

  /** Tracks {@code channel} until it closes. */
  void track(Channel channel) {
    clients.add(channel);
  }

  public boolean isDraining() {
    return draining;
  }

  /** Starts draining every client connection; returns a future done when all have closed. */
  public ChannelGroupFuture start() {
    draining = true;
    for (Channel channel : clients) {
      channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(DRAIN));
    }
    return clients.newCloseFuture();
  }

  /** Returns the number of open client connections. */
  public int connections() {
    return clients.size();
  }
}
