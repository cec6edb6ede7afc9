package dev.gantry.dataplane.tls;

import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.finish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
import dev.gantry.dataplane.testing.TestPki;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.protocol.v1.ClientValidation;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsPolicy;
import dev.gantry.protocol.v1.TlsVersion;
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
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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

  private static final TestPki CLIENTS = TestPki.newCa("clients");
  private static final TestPki STRANGERS = TestPki.newCa("strangers");
  private static final TestPki.Issued CLIENT =
      CLIENTS.issue("CN=client", new String[] {"client.internal"}, new String[0]);
  private static final TestPki.Issued STRANGER =
      STRANGERS.issue("CN=stranger", new String[0], new String[0]);

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
    return serve(provider, null);
  }

  /** Serves SHOP for shop.example.com under {@code policy} (none when null). */
  private int serve(SslProvider provider, TlsPolicy policy) {
    assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "no OpenSSL here");
    CertificateStore store =
        new CertificateStore(new ServerContextFactory(provider), "", new SimpleMeterRegistry());
    VirtualHost.Builder shop =
        VirtualHost.newBuilder()
            .setName("shop")
            .addDomains("shop.example.com")
            .addRoutes(direct("shop/rule-0", "/", 200, "shop"))
            .setCertificate(SHOP.name());
    if (policy != null) {
      shop.setTlsPolicy(policy);
    }
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

  private static TlsPolicy clientValidation(String caPem, boolean optional) {
    return TlsPolicy.newBuilder()
        .setClientValidation(
            ClientValidation.newBuilder()
                .setCaBundle(ByteString.copyFrom(caPem, StandardCharsets.US_ASCII))
                .setOptional(optional))
        .build();
  }

  private static SSLSocket connectPresenting(int port, TestPki.Issued certificate)
      throws IOException {
    return TlsClients.connect(
        TlsClients.presenting(certificate.key(), certificate.certificate()),
        port,
        "shop.example.com",
        null,
        "http/1.1");
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void aTls13MinimumRefusesTls12(SslProvider provider) throws IOException {
    int port =
        serve(provider, TlsPolicy.newBuilder().setMinVersion(TlsVersion.TLS_VERSION_1_3).build());

    assertThatThrownBy(
            () ->
                TlsClients.connect(port, "shop.example.com", new String[] {"TLSv1.2"}, "http/1.1")
                    .close())
        .isInstanceOf(SSLHandshakeException.class);
    try (SSLSocket socket = TlsClients.connect(port, "shop.example.com")) {
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void offersOnlyTheTls12SuitesOfThePolicy(SslProvider provider) throws IOException {
    int port =
        serve(
            provider,
            TlsPolicy.newBuilder()
                .addCipherSuites("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
                .addCipherSuites("TLS_NOT_A_SUITE")
                .build());

    try (SSLSocket tls12 =
            TlsClients.connect(port, "shop.example.com", new String[] {"TLSv1.2"}, "http/1.1");
        SSLSocket tls13 = TlsClients.connect(port, "shop.example.com")) {
      assertThat(tls12.getSession().getCipherSuite())
          .isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
      assertThat(tls13.getSession().getProtocol()).as("TLS 1.3 suites stay").isEqualTo("TLSv1.3");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void suitesTheProviderLacksFailTheHandshakeRatherThanFallBack(SslProvider provider) {
    int port = serve(provider, TlsPolicy.newBuilder().addCipherSuites("TLS_NOT_A_SUITE").build());

    assertThatThrownBy(() -> TlsClients.connect(port, "shop.example.com").close())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("handshake_failure");
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void requiredClientValidationAcceptsOnlyATrustedCertificate(SslProvider provider)
      throws IOException {
    int port = serve(provider, clientValidation(CLIENTS.caPem(), false));

    assertThatThrownBy(() -> readOne(TlsClients.connect(port, "shop.example.com", "http/1.1")))
        .as("no certificate")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> readOne(connectPresenting(port, STRANGER)))
        .as("untrusted")
        .isInstanceOf(IOException.class);
    try (SSLSocket trusted = connectPresenting(port, CLIENT)) {
      assertThat(trusted.getSession().getLocalCertificates()[0]).isEqualTo(CLIENT.certificate());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void optionalClientValidationTakesNoCertificateButRefusesAnUntrustedOne(SslProvider provider)
      throws IOException {
    int port = serve(provider, clientValidation(CLIENTS.caPem(), true));

    try (SSLSocket none = TlsClients.connect(port, "shop.example.com", "http/1.1")) {
      assertThat(none.getSession().getLocalCertificates()).isNull();
    }
    assertThatThrownBy(() -> readOne(connectPresenting(port, STRANGER)))
        .isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = SslProvider.class,
      names = {"JDK", "OPENSSL"})
  void aCaBundleThatDoesNotParseFailsTheHandshake(SslProvider provider) {
    int port = serve(provider, clientValidation("-----BEGIN CERTIFICATE-----\\nnope\\n", false));

    assertThatThrownBy(() -> TlsClients.connect(port, "shop.example.com").close())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("handshake_failure");
  }

  /**
   * Reads from {@code socket} until the server closes it or fails it: with TLS 1.3 a client learns
   * that the server refused its certificate only after its own handshake completed.
   */
  private static void readOne(SSLSocket socket) throws IOException {
    try (socket) {
      socket.setSoTimeout(2_000); // the server says nothing after a handshake it accepted
      int read;
      try {
        read = socket.getInputStream().read();
      } catch (SocketTimeoutException e) {
        return; // accepted
      }
      if (read < 0) {
        throw new IOException("closed by the server");
      }
    }
  }
}
