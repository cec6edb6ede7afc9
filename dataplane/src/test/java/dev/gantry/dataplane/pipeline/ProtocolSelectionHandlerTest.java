package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the cleartext listener's protocol choice on an EmbeddedChannel: HTTP/2 by prior knowledge
 * or by {@code Upgrade: h2c}, HTTP/1.1 otherwise.
 */
class ProtocolSelectionHandlerTest {

  private final RoutingTableHolder tables = new RoutingTableHolder();
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
    ByteBuf in = Http2CodecUtil.connectionPrefaceBuf();
    client.writeInbound(in);
    FrameLog frames = readFrames();

    assertThat(client.pipeline().get(Http2FrameCodec.class)).isNotNull();
    assertThat(client.pipeline().get(HttpServerCodec.class)).isNull();
    assertThat(client.pipeline().get(ProtocolSelectionHandler.class)).isNull();
    assertThat(client.pipeline().get(CleartextHttp2ServerUpgradeHandler.class)).isNull();
    assertThat(frames.settings).hasSize(1);
    assertThat(frames.settings.getFirst().maxConcurrentStreams()).isEqualTo(100);
    assertThat(frames.settings.getFirst().initialWindowSize()).isEqualTo(64 * 1024);
    assertThat(65_535 + frames.connectionWindowUpdates).isEqualTo(1024 * 1024);
  }

  @Test
  void answersARequestOnAStreamByPriorKnowledge() {
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    writeFrame(in, (w, ctx, p) -> w.writeSettings(ctx, new Http2Settings(), p));
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("GET")
            .scheme("http")
            .path("/")
            .authority("web.example.com");
    writeFrame(in, (w, ctx, p) -> w.writeHeaders(ctx, 1, headers, 0, true, p));
    client.writeInbound(in);
    client.runPendingTasks();
    FrameLog frames = readFrames();

    assertThat(frames.headers).hasSize(1);
    assertThat(frames.headers.getFirst().status().toString()).isEqualTo("200");
    assertThat(frames.headers.getFirst().contains("connection")).isFalse();
    assertThat(frames.data.toString()).isEqualTo("hello h2");
    assertThat(frames.endStreams).isEqualTo(1);
  }

  @Test
  void resetsAStreamWhoseRequestLacksAMethod() {
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    writeFrame(in, (w, ctx, p) -> w.writeSettings(ctx, new Http2Settings(), p));
    Http2Headers headers =
        new DefaultHttp2Headers().scheme("http").path("/").authority("web.example.com");
    writeFrame(in, (w, ctx, p) -> w.writeHeaders(ctx, 1, headers, 0, true, p));
    client.writeInbound(in);
    client.runPendingTasks();
    FrameLog frames = readFrames();

    assertThat(frames.headers).isEmpty();
    assertThat(frames.resets).containsExactly(Http2Error.PROTOCOL_ERROR.code());
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
    FrameLog frames = new FrameLog();
    frames.read(out);
    assertThat(client.pipeline().get(Http2FrameCodec.class)).isNotNull();
    assertThat(client.pipeline().get(HttpServerUpgradeHandler.class)).isNull();
    assertThat(frames.settings).hasSize(1);
    assertThat(frames.headers).hasSize(1);
    assertThat(frames.headers.getFirst().status().toString()).isEqualTo("200");
    assertThat(frames.data.toString()).isEqualTo("hello h2");
  }

  @Test
  void staysOnHttp11WithoutPrefaceOrUpgrade() {
    client.writeInbound(ascii("GET / HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    client.runPendingTasks();
    String response = readAll().toString(StandardCharsets.ISO_8859_1);

    assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("hello h2");
    assertThat(client.pipeline().get(ProxyHandler.class)).isNotNull();
    assertThat(client.pipeline().get(HttpServerCodec.class)).isNotNull();
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

  private FrameLog readFrames() {
    FrameLog frames = new FrameLog();
    frames.read(readAll());
    return frames;
  }

  private interface FrameWrite {
    void write(DefaultHttp2FrameWriter writer, ChannelHandlerContext ctx, ChannelPromise promise);
  }

  /** Encodes one frame into {@code out} with Netty's frame writer on a scratch channel. */
  private static void writeFrame(ByteBuf out, FrameWrite write) {
    EmbeddedChannel scratch = new EmbeddedChannel();
    scratch
        .pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void handlerAdded(ChannelHandlerContext ctx) {
                write.write(new DefaultHttp2FrameWriter(), ctx, ctx.newPromise());
                ctx.flush();
              }
            });
    for (ByteBuf part; (part = scratch.readOutbound()) != null; ) {
      out.writeBytes(part);
      part.release();
    }
    scratch.finishAndReleaseAll();
  }

  /** The frames a client received, decoded with Netty's frame reader. */
  static final class FrameLog extends Http2EventAdapter {
    final List<Http2Settings> settings = new ArrayList<>();
    final List<Http2Headers> headers = new ArrayList<>();
    final StringBuilder data = new StringBuilder();
    final List<Long> resets = new ArrayList<>();
    long connectionWindowUpdates;
    int endStreams;

    void read(ByteBuf in) {
      EmbeddedChannel scratch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
      ChannelHandlerContext ctx = scratch.pipeline().firstContext();
      try (DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader()) {
        while (in.isReadable()) {
          reader.readFrame(ctx, in, this);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      } finally {
        in.release();
        scratch.finishAndReleaseAll();
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings read) {
      settings.add(read);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers read,
        int padding,
        boolean endOfStream) {
      headers.add(read);
      endStreams += endOfStream ? 1 : 0;
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers read,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, read, padding, endOfStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf read, int padding, boolean endOfStream) {
      data.append(read.toString(StandardCharsets.UTF_8));
      endStreams += endOfStream ? 1 : 0;
      return read.readableBytes() + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      resets.add(errorCode);
    }

    @Override
    public void onWindowUpdateRead(
        ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
      if (streamId == 0) {
        connectionWindowUpdates += windowSizeIncrement;
      }
    }
  }
}
