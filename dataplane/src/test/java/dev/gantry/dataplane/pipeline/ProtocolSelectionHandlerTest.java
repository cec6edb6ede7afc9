package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.testing.H2Frames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the cleartext listener's protocol choice on an EmbeddedChannel: HTTP/2 by prior knowledge
 * or by {@code Upgrade: h2c}, HTTP/1.1 otherwise.
 */
class ProtocolSelectionHandlerTest {

  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final H2Frames frames = new H2Frames();
  private final EmbeddedChannel client;

  ProtocolSelectionHandlerTest() {
    tables.swap(
        RoutingTable.from(
            snapshot(
                1,
                List.of(host("web", List.of("*"), direct("direct", "/", 200, "hello h2"))),
                List.of())));
    // Accepted by a server channel: Netty's stream multiplexer tells server from client that way.
    client =
        new EmbeddedChannel(
            new LocalServerChannel(),
            DefaultChannelId.newInstance(),
            true,
            false,
            new HttpServerInitializer(
                HttpServerConfig.defaults(),
                tables,
                new FakeUpstreams(),
                new SimpleMeterRegistry()));
  }

  @AfterEach
  void tearDown() {
    client.finishAndReleaseAll();
  }

  @Test
  void speaksHttp2AfterThePriorKnowledgePreface() {
    client.writeInbound(Http2CodecUtil.connectionPrefaceBuf());
    H2Frames.Log log = readFrames();

    assertThat(client.pipeline().get(Http2FrameCodec.class)).isNotNull();
    assertThat(client.pipeline().get(Http1ServerCodec.class)).isNull();
    assertThat(client.pipeline().get(ProtocolSelectionHandler.class)).isNull();
    assertThat(client.pipeline().get(PrefaceDetector.class)).isNull();
    assertThat(log.settings).hasSize(1);
    assertThat(log.settings.getFirst().maxConcurrentStreams()).isEqualTo(100);
    assertThat(log.settings.getFirst().initialWindowSize()).isEqualTo(64 * 1024);
    assertThat(65_535 + log.connectionWindowUpdates).isEqualTo(1024 * 1024);
  }

  @Test
  void answersARequestOnAStreamByPriorKnowledge() {
    ByteBuf in = frames.preface();
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("GET")
            .scheme("http")
            .path("/")
            .authority("web.example.com");
    ByteBuf request = frames.headers(1, headers, true);
    in.writeBytes(request);
    request.release();
    client.writeInbound(in);
    client.runPendingTasks();
    H2Frames.Log log = readFrames();

    assertThat(log.headers).hasSize(1);
    assertThat(log.firstHeaders().status().toString()).isEqualTo("200");
    assertThat(log.firstHeaders().contains("connection")).isFalse();
    assertThat(log.body(1)).isEqualTo("hello h2");
    assertThat(log.endStreams).isEqualTo(1);
  }

  @Test
  void resetsAStreamWhoseRequestLacksAMethod() {
    ByteBuf in = frames.preface();
    Http2Headers headers =
        new DefaultHttp2Headers().scheme("http").path("/").authority("web.example.com");
    ByteBuf request = frames.headers(1, headers, true);
    in.writeBytes(request);
    request.release();
    client.writeInbound(in);
    client.runPendingTasks();
    H2Frames.Log log = readFrames();

    assertThat(log.headers).isEmpty();
    assertThat(log.resets).containsExactly(Map.entry(1, Http2Error.PROTOCOL_ERROR.code()));
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void upgradesToHttp2OnUpgradeH2c() {
    String settings =
        Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[0]); // no settings
    client.writeInbound(
        ascii(
            "GET / HTTP/1.1\r\nHost: web.example.com\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: "
                + settings
                + "\r\n\r\n"));
    client.runPendingTasks();
    ByteBuf out = readAll();
    String head = out.toString(StandardCharsets.ISO_8859_1);
    int end = head.indexOf("\r\n\r\n") + 4;

    assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
    out.skipBytes(end);
    H2Frames.Log log = new H2Frames.Log();
    frames.read(out, log);
    out.release();
    assertThat(client.pipeline().get(Http2FrameCodec.class)).isNotNull();
    assertThat(client.pipeline().get(HttpServerUpgradeHandler.class)).isNull();
    assertThat(log.settings).hasSize(1);
    assertThat(log.headers).hasSize(1);
    assertThat(log.firstHeaders().status().toString()).isEqualTo("200");
    assertThat(log.body(1)).isEqualTo("hello h2");
  }

  @Test
  void staysOnHttp11WithoutPrefaceOrUpgrade() {
    client.writeInbound(ascii("GET / HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    client.runPendingTasks();
    String response = readAll().toString(StandardCharsets.ISO_8859_1);

    assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("hello h2");
    assertThat(client.pipeline().get(ProxyHandler.class)).isNotNull();
    assertThat(client.pipeline().get(Http1ServerCodec.class)).isNotNull();
    assertThat(client.pipeline().get(HttpServerUpgradeHandler.class)).isNull();
    assertThat(client.pipeline().get(Http2FrameCodec.class)).isNull();
    assertThat(client.isOpen()).isTrue();
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }

  private ByteBuf readAll() {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf out; (out = client.readOutbound()) != null; ) {
      all.writeBytes(out);
      out.release();
    }
    return all;
  }

  private H2Frames.Log readFrames() {
    H2Frames.Log log = new H2Frames.Log();
    ByteBuf all = readAll();
    frames.read(all, log);
    all.release();
    return log;
  }
}
