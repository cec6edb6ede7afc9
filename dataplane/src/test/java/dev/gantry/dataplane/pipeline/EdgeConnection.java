package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.withBodyLimit;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One client connection from 192.0.2.7 through the whole downstream pipeline on an EmbeddedChannel.
 * Host {@code web.example.com} answers {@code /direct} with 200 {@code ok} and forwards everything
 * else to {@link #upstreams}. Confined to the test thread.
 */
final class EdgeConnection extends EmbeddedChannel {

  /** The request body limit of the {@code /limited} route, which forwards like {@code /}. */
  static final int BODY_LIMIT = 10;

  final FakeUpstreams upstreams;
  final SimpleMeterRegistry registry;

  private EdgeConnection(
      HttpServerInitializer initializer, FakeUpstreams upstreams, SimpleMeterRegistry registry) {
    super(EmbeddedChannel.builder().handlers(initializer));
    this.upstreams = upstreams;
    this.registry = registry;
  }

  /** Opens a connection to a pipeline configured with {@code config}. */
  static EdgeConnection open(HttpServerConfig config) {
    RoutingTableHolder tables = new RoutingTableHolder();
    tables.swap(
        RoutingTable.from(
            snapshot(
                1,
                List.of(
                    host(
                        "web",
                        List.of("web.example.com"),
                        direct("direct", "/direct", 200, "ok"),
                        withBodyLimit(prefix("limited", "/limited", "web"), BODY_LIMIT),
                        prefix("api", "/", "web"))),
                List.of(cluster("web", new InetSocketAddress("10.0.0.1", 8080))))));
    FakeUpstreams upstreams = new FakeUpstreams();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    return new EdgeConnection(
        new HttpServerInitializer(config, tables, upstreams, registry), upstreams, registry);
  }

  /** Sends {@code request} (ISO-8859-1) and returns everything written back so far. */
  String exchange(String request) {
    writeInbound(bytes(request));
    return written();
  }

  /** Returns everything written to the client so far, releasing it. */
  String written() {
    return outbound(this);
  }

  /** Returns how many requests were refused for {@code rejection}. */
  double rejected(RequestRejection rejection) {
    return registry
        .get("gantry.dataplane.requests.rejected")
        .tag("reason", rejection.tag())
        .counter()
        .count();
  }

  static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }

  /** Returns everything written to {@code channel} so far, releasing it. */
  static String outbound(EmbeddedChannel channel) {
    StringBuilder text = new StringBuilder();
    for (Object msg; (msg = channel.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) msg;
      text.append(buf.toString(StandardCharsets.ISO_8859_1));
      buf.release();
    }
    return text.toString();
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return new InetSocketAddress("192.0.2.7", 40000);
  }
}
