package dev.gantry.dataplane.tls;

import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.finish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.VirtualHost;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** The SNI handler on an embedded channel, fed a JDK client's real ClientHello. */
class CertificateSniHandlerTest {

  private static final Issued SHOP = TestCertificates.issue("shop/tls", "shop.example.com");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CertificateStore store = new CertificateStore("", registry);

  CertificateSniHandlerTest() {
    VirtualHost shop =
        VirtualHost.newBuilder()
            .setName("shop")
            .addDomains("shop.example.com")
            .addRoutes(direct("shop/rule-0", "/", 200, "shop"))
            .setCertificate(SHOP.name())
            .build();
    store.apply(
        finish(Snapshot.newBuilder().addVirtualHosts(shop).addCertificates(SHOP.toProto()), 1));
  }

  /** Returns the first flight a JDK client sends for {@code serverName}. */
  private static ByteBuf clientHello(String serverName) throws SSLException {
    SSLEngine client = TlsClients.trustingAnyServer().createSSLEngine();
    client.setUseClientMode(true);
    client.setSSLParameters(TlsClients.parameters(serverName, "h2", "http/1.1"));
    ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
    client.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    return Unpooled.wrappedBuffer(out);
  }

  @Test
  void replacesItselfWithTheSslHandlerOfTheCertificateSelected() throws SSLException {
    EmbeddedChannel channel = new EmbeddedChannel(store.newSniHandler());

    channel.writeInbound(clientHello("shop.example.com"));

    assertThat(channel.pipeline().get(CertificateSniHandler.class)).isNull();
    assertThat(channel.pipeline().get(SslHandler.class)).isNotNull();
    assertThat(channel.isOpen()).isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void answersAnUnknownNameWithUnrecognizedNameAndCloses() throws SSLException {
    EmbeddedChannel channel = new EmbeddedChannel(store.newSniHandler());

    ByteBuf hello = clientHello("elsewhere.test");

    // The refusal also travels on as an exception, for the handlers behind to count and close.
    assertThatThrownBy(() -> channel.writeInbound(hello))
        .hasRootCauseMessage(
            "no certificate for server name elsewhere.test and no default certificate");
    ByteBuf alert = channel.readOutbound();
    assertThat(ByteBufUtil.hexDump(alert)).isEqualTo("15030100020270");
    alert.release();
    assertThat(channel.isOpen()).isFalse();
    assertThat(registry.get("gantry.dataplane.tls.unknown.server.names").counter().count())
        .isEqualTo(1);
    channel.finishAndReleaseAll();
  }
}
