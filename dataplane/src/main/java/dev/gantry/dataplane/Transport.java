package dev.gantry.dataplane;

import dev.gantry.dataplane.upstream.LoopbackNamesResolver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport in use: native epoll where available (Linux), NIO elsewhere. Immutable.
 *
 * @param name {@code epoll} or {@code nio}, for logs
 */
record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannelType,
    Class<? extends SocketChannel> socketChannelType,
    Class<? extends DatagramChannel> datagramChannelType) {

  /** Returns epoll when its native library loads, otherwise NIO. */
  static Transport detect() {
    if (Epoll.isAvailable()) {
      return new Transport(
          "epoll",
          EpollIoHandler.newFactory(),
          EpollServerSocketChannel.class,
          EpollSocketChannel.class,
          EpollDatagramChannel.class);
    }
    return new Transport(
        "nio",
        NioIoHandler.newFactory(),
        NioServerSocketChannel.class,
        NioSocketChannel.class,
        NioDatagramChannel.class);
  }

  /**
   * Returns a non-blocking DNS resolver group on this transport (honours /etc/hosts,
   * /etc/resolv.conf and record TTLs, and answers {@code *.localhost} with loopback); the caller
   * closes it.
   */
  DnsAddressResolverGroup newResolverGroup() {
    return new DnsAddressResolverGroup(
        new DnsNameResolverBuilder()
            .hostsFileEntriesResolver(new LoopbackNamesResolver())
            .datagramChannelType(datagramChannelType)
            .socketChannelType(socketChannelType));
  }

  /**
   * Returns a new event-loop group of {@code threads} threads (0: Netty's default) named {@code
   * name-N}.
   */
  EventLoopGroup newGroup(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), ioHandlerFactory);
  }
}
