package dev.gantry.dataplane.relay;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.observe.AccessLogConfig;
import dev.gantry.dataplane.observe.RelayLog;
import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.dataplane.upstream.ConnectionLimit;
import dev.gantry.dataplane.upstream.TcpConnector;
import dev.gantry.dataplane.upstream.UpstreamConfig;
import dev.gantry.protocol.v1.TcpProxy;
import dev.gantry.protocol.v1.VirtualHost;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class PassthroughSniHandlerTest {

  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final Passthrough passthrough =
      new Passthrough(
          tables,
          new TcpConnector(
              UpstreamConfig.defaults(
                  NioSocketChannel.class, DefaultAddressResolverGroup.INSTANCE)),
          new RelayLog(AccessLogConfig.OFF),
          new SimpleMeterRegistry());
  private final AtomicBoolean terminationRemoved = new AtomicBoolean();

  PassthroughSniHandlerTest() {
    tables.swap(
        RoutingTable.from(
            snapshot(
                1,
                List.of(
                    VirtualHost.newBuilder()
                        .setName("db")
                        .addDomains("db.example.com")
                        .setTcpProxy(TcpProxy.newBuilder().addClusters(weighted("db", 1)))
                        .build()),
                List.of(cluster("db", new InetSocketAddress("127.0.0.1", 9))))));
  }

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(
        passthrough.newHandler(p -> terminationRemoved.set(true), cluster -> ConnectionLimit.NONE),
        new ChannelInboundHandlerAdapter());
  }

  @Test
  void handsTheSameBytesToTerminationForANameThatIsNotRelayed() throws Exception {
    EmbeddedChannel channel = channel();
    byte[] hello = clientHello("shop.example.com");

    channel.writeInbound(Unpooled.wrappedBuffer(hello));

    ByteBuf passedOn = channel.readInbound();
    assertThat(ByteBufUtil.getBytes(passedOn)).isEqualTo(hello);
    passedOn.release();
    assertThat(terminationRemoved).isFalse();
    assertThat(channel.pipeline().get(PassthroughSniHandler.class)).isNull();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void handsOnWhatIsNotTlsAtAll() {
    EmbeddedChannel channel = channel();
    byte[] request = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    channel.writeInbound(Unpooled.wrappedBuffer(request));

    ByteBuf passedOn = channel.readInbound();
    assertThat(ByteBufUtil.getBytes(passedOn)).isEqualTo(request);
    passedOn.release();
    assertThat(terminationRemoved).isFalse();
  }

  @Test
  void waitsForTheWholeClientHelloBeforeDeciding() throws Exception {
    EmbeddedChannel channel = channel();
    byte[] hello = clientHello("shop.example.com");

    channel.writeInbound(Unpooled.wrappedBuffer(hello, 0, 20));
    assertThat((Object) channel.readInbound()).isNull();
    channel.writeInbound(Unpooled.wrappedBuffer(hello, 20, hello.length - 20));

    ByteBuf passedOn = channel.readInbound();
    assertThat(ByteBufUtil.getBytes(passedOn)).isEqualTo(hello);
    passedOn.release();
  }

  static byte[] clientHello(String serverName) throws Exception {
    SSLEngine engine = TlsClients.trustingAnyServer().createSSLEngine();
    engine.setUseClientMode(true);
    engine.setSSLParameters(TlsClients.parameters(serverName));
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.beginHandshake();
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }
}
