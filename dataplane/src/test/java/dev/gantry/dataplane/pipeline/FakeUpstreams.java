package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.upstream.UpstreamConnection;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import dev.gantry.dataplane.upstream.UpstreamException;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out a new EmbeddedChannel per acquisition (or fails with {@link #failure}), and records
 * where each went and which connections were released for reuse. Confined to the test thread.
 */
final class FakeUpstreams implements UpstreamConnector {

  final List<EmbeddedChannel> channels = new ArrayList<>();
  final List<InetSocketAddress> addresses = new ArrayList<>();
  final List<UpstreamConnection> recycled = new ArrayList<>();
  UpstreamException failure;

  /** How many acquisitions fail with {@link #failure} before they succeed; -1 for all. */
  int failures = -1;

  @Override
  public Future<UpstreamConnection> acquire(
      EventLoop loop, InetSocketAddress address, Duration connectTimeout) {
    if (failure != null && failures != 0) {
      failures = failures < 0 ? failures : failures - 1;
      return loop.newFailedFuture(failure);
    }
    EmbeddedChannel channel = new EmbeddedChannel();
    channels.add(channel);
    addresses.add(address);
    return loop.newSucceededFuture(
        UpstreamConnection.recycled(channel, Duration.ofSeconds(60), recycled::add));
  }

  /** Returns the upstream channel of the latest acquisition. */
  EmbeddedChannel last() {
    return channels.getLast();
  }
}
