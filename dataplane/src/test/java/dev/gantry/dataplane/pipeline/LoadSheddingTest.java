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
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Under memory pressure new requests get 503 with Retry-After and their connection (HTTP/1.1) or
 * stream (HTTP/2) is closed; once the pressure is gone, requests are served again.
 */
class LoadSheddingTest {

  private static final String GET = "GET / HTTP/1.1\r\nHost: web.example.com\r\n\r\n";

  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final H2Frames frames = new H2Frames();
  private final List<EmbeddedChannel> clients = new ArrayList<>();
  private volatile boolean pressed;

  LoadSheddingTest() {
    tables.swap(
        RoutingTable.from(
            snapshot(
                1,
                List.of(host("web", List.of("*"), direct("direct", "/", 200, "served"))),
                List.of())));
  }

  @AfterEach
  void tearDown() {
    clients.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  /** A new client connection, accepted by a server channel as the HTTP/2 multiplexer needs. */
  private EmbeddedChannel connect() {
    EmbeddedChannel client =
        new EmbeddedChannel(
            new LocalServerChannel(),
            DefaultChannelId.newInstance(),
            true,
            false,
            new HttpServerInitializer(
                HttpServerConfig.defaults(),
                Http2Config.defaults(),
                tables,
                new FakeUpstreams(),
                () -> pressed,
                registry));
    clients.add(client);
    return client;
  }

  @Test
  void refusesHttp11RequestsWith503AndClosesWhileMemoryIsShort() {
    pressed = true;
    EmbeddedChannel client = connect();

    String response = exchange(client, GET + GET);

    assertThat(response)
        .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .containsIgnoringCase("retry-after: 1\r\n")
        .containsIgnoringCase("connection: close\r\n")
        .endsWith("overloaded, retry later");
    assertThat(response.split("HTTP/1.1 ", -1)).hasSize(2); // the pipelined second: dropped
    assertThat(client.isOpen()).isFalse();
    assertThat(overloaded()).isEqualTo(1);
  }

  @Test
  void servesAgainOnceThePressureIsGone() {
    pressed = true;
    exchange(connect(), GET);
    pressed = false;
    EmbeddedChannel client = connect();

    assertThat(exchange(client, GET)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("served");
    assertThat(exchange(client, GET)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("served");
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void letsARequestAlreadyServedOnAConnectionBeFollowedByARefusal() {
    EmbeddedChannel client = connect();
    assertThat(exchange(client, GET)).startsWith("HTTP/1.1 200 OK\r\n");

    pressed = true;

    assertThat(exchange(client, GET)).startsWith("HTTP/1.1 503 ");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void refusesHttp2StreamsWith503AndKeepsTheConnection() {
    pressed = true;
    EmbeddedChannel client = connect();
    ByteBuf in = frames.preface();
    Http2Headers get =
        new DefaultHttp2Headers()
            .method("GET")
            .scheme("http")
            .path("/")
            .authority("web.example.com");
    ByteBuf request = frames.headers(1, get, true);
    in.writeBytes(request);
    request.release();
    client.writeInbound(in);
    client.runPendingTasks();
    H2Frames.Log log = readFrames(client);

    assertThat(log.headers.get(1).status().toString()).isEqualTo("503");
    assertThat(log.headers.get(1).get("retry-after").toString()).isEqualTo("1");
    assertThat(log.headers.get(1).contains("connection")).isFalse();
    assertThat(log.body(1)).isEqualTo("overloaded, retry later");
    assertThat(client.isOpen()).isTrue(); // one stream refused, not the connection

    pressed = false;
    ByteBuf next = frames.headers(3, get, true);
    client.writeInbound(next);
    client.runPendingTasks();
    log = readFrames(client);

    assertThat(log.headers.get(3).status().toString()).isEqualTo("200");
    assertThat(log.body(3)).isEqualTo("served");
  }

  private double overloaded() {
    return registry
        .get("gantry.dataplane.requests.rejected")
        .tag("reason", "overloaded")
        .counter()
        .count();
  }

  private static String exchange(EmbeddedChannel client, String request) {
    client.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    client.runPendingTasks();
    return readAll(client).toString(StandardCharsets.ISO_8859_1);
  }

  private H2Frames.Log readFrames(EmbeddedChannel client) {
    ByteBuf out = readAll(client);
    H2Frames.Log log = new H2Frames.Log();
    frames.read(out, log);
    out.release();
    return log;
  }

  private static ByteBuf readAll(EmbeddedChannel client) {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf out; (out = client.readOutbound()) != null; ) {
      all.writeBytes(out);
      out.release();
    }
    return all;
  }
}
