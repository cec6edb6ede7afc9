package dev.gantry.dataplane.tls;

import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.finish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.VirtualHost;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both TLS providers behind the SNI handler on a loopback server, with a JDK client: the same
 * certificate, versions and ALPN answer whichever engine runs.
 */
class ServerContextFactoryTest {

  private static final Issued SHOP =
      TestCertificates.issue("shop/tls", TestCertificates.KeyFormat.RSA_PKCS1, "shop.example.com");

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private Channel server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private int serve(SslProvider provider) {
    assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "no OpenSSL here");
    CertificateStore store =
        new CertificateStore(new ServerContextFactory(provider), "", new SimpleMeterRegistry());
    VirtualHost shop =
        VirtualHost.newBuilder()
            .setName("shop")
            .addDomains("shop.example.com")
            .addRoutes(direct("shop/rule-0", "/", 200, "shop"))
            .setCertificate(SHOP.name())
            .build();
    store.apply(
        finish(Snapshot.newBuilder().addVirtualHosts(shop).addCertificates(SHOP.toProto()), 1));
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(store.newSniHandler());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .syncUninterruptibly()
            .channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void servesTls13WithH2PreferredByAlpn(SslProvider provider) throws IOException {
    int port = serve(provider);

    try (SSLSocket socket = TlsClients.connect(port, "shop.example.com", "http/1.1", "h2")) {
      assertThat(TlsClients.served(socket)).isEqualTo(SHOP.certificate());
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void servesTls12WithAForwardSecretAeadSuite(SslProvider provider) throws IOException {
    int port = serve(provider);

    try (SSLSocket socket =
        TlsClients.connect(port, "shop.example.com", new String[] {"TLSv1.2"}, "http/1.1")) {
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").contains("_GCM_");
      assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void refusesAnUnknownServerNameWithoutADefault(SslProvider provider) {
    int port = serve(provider);

    assertThatThrownBy(() -> TlsClients.connect(port, "elsewhere.test").close())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("unrecognized_name");
  }
}
