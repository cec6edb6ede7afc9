package dev.gantry.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real loopback connections on one NIO event loop, against a socket server that only accepts. */
class UpstreamPoolsTest {

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final DnsAddressResolverGroup resolver =
      new DnsAddressResolverGroup(
          new DnsNameResolverBuilder().datagramChannelType(NioDatagramChannel.class));
  private final UpstreamPools pools =
      new UpstreamPools(UpstreamConfig.defaults(NioSocketChannel.class, resolver));
  private final AcceptingServer server = new AcceptingServer();

  @AfterEach
  void tearDown() throws IOException {
    resolver.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    server.close();
  }

  private UpstreamConnection acquire(InetSocketAddress address) throws Exception {
    return pools.acquire(loop, address, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
  }

  private void onLoop(Runnable action) {
    loop.submit(action).syncUninterruptibly();
  }

  @Test
  void reusesAReleasedConnection() throws Exception {
    UpstreamConnection first = acquire(server.address());
    onLoop(first::release);

    UpstreamConnection second = acquire(server.address());

    assertThat(second).isSameAs(first);
    // The server thread records the accept after the client's connect completes: wait for it.
    await().untilAsserted(() -> assertThat(server.accepted).hasSize(1));
  }

  @Test
  void neverReusesAClosedConnection() throws Exception {
    UpstreamConnection first = acquire(server.address());
    onLoop(first::close);

    UpstreamConnection second = acquire(server.address());

    assertThat(second).isNotSameAs(first);
    await().until(() -> server.accepted.size() == 2);
  }

  @Test
  void dropsAParkedConnectionTheUpstreamClosed() throws Exception {
    UpstreamConnection first = acquire(server.address());
    onLoop(first::release);

    await().until(() -> server.accepted.size() == 1);
    server.accepted.getFirst().close();
    await().until(() -> !first.isActive());

    UpstreamConnection second = acquire(server.address());
    assertThat(second).isNotSameAs(first);
    assertThat(second.isActive()).isTrue();
  }

  @Test
  void keepsConnectionsToDifferentEndpointsApart() throws Exception {
    try (AcceptingServer other = new AcceptingServer()) {
      UpstreamConnection toFirst = acquire(server.address());
      onLoop(toFirst::release);

      UpstreamConnection toOther = acquire(other.address());

      assertThat(toOther).isNotSameAs(toFirst);
      assertThat(toOther.remoteAddress()).isEqualTo(other.address());
    }
  }

  @Test
  void resolvesADnsNamedEndpointAndPoolsItUnderItsName() throws Exception {
    InetSocketAddress byName =
        InetSocketAddress.createUnresolved("localhost", server.address().getPort());

    UpstreamConnection first = acquire(byName);
    onLoop(first::release);
    UpstreamConnection second = acquire(byName);

    assertThat(first.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
    assertThat(second).isSameAs(first);
  }

  @Test
  void failsWithConnectRefusedWhenNothingListens() throws IOException {
    InetSocketAddress closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = (InetSocketAddress) socket.getLocalSocketAddress();
    }

    assertThatThrownBy(() -> acquire(closed))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CONNECT_REFUSED));
  }

  /** Accepts connections on loopback and keeps them open until closed. */
  private static final class AcceptingServer implements AutoCloseable {

    final ServerSocket socket;
    final List<Socket> accepted = new CopyOnWriteArrayList<>();

    AcceptingServer() {
      try {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  while (true) {
                    accepted.add(socket.accept());
                  }
                } catch (IOException closed) {
                  // server closed
                }
              });
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
