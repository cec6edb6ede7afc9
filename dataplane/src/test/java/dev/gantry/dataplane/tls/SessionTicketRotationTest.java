package dev.gantry.dataplane.tls;

import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.finish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
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
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session tickets across key rotations, seen by {@code openssl s_client} resuming a saved session
 * against the SNI handler on a loopback server: a ticket resumes after one rotation and not after
 * two. Skipped where OpenSSL (tcnative) or the openssl command is missing.
 */
class SessionTicketRotationTest {

  private static final Issued SHOP = TestCertificates.issue("shop/tls", "shop.example.com");

  private final CertificateStore store = new CertificateStore("", new SimpleMeterRegistry());
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private Channel server;

  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    assumeTrue(OpenSsl.isAvailable(), "OpenSSL (netty-tcnative) is not available");
    assumeTrue(opensslInstalled(), "the openssl command is not installed");
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
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void aTicketResumesAfterOneRotationAndNotAfterTwo() throws Exception {
    Path session = dir.resolve("session.pem");

    String first = sClient("-sess_out", session.toString());
    store.rotateTicketKeys();
    String afterOne = sClient("-sess_in", session.toString());
    store.rotateTicketKeys();
    String afterTwo = sClient("-sess_in", session.toString());

    assertThat(first).contains("New, TLSv1.2", "TLS session ticket:");
    assertThat(afterOne).contains("Reused, TLSv1.2");
    assertThat(afterTwo).contains("New, TLSv1.2");
  }

  private String sClient(String... options) throws IOException, InterruptedException {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + port,
                "-servername",
                "shop.example.com",
                "-tls1_2"));
    command.addAll(List.of(options));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  private static boolean opensslInstalled() {
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
