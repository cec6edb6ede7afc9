package dev.gantry.dataplane.admin;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.protocol.v1.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminHandlerTest {

  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new AdminServerInitializer(tables, registry, draining::get));

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
    registry.close();
  }

  private String get(String path) {
    return request("GET " + path + " HTTP/1.1\r\nHost: admin\r\n\r\n");
  }

  private String request(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder();
    for (Object msg; (msg = channel.readOutbound()) != null; ) {
      out.append(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
      ((ByteBuf) msg).release();
    }
    return out.toString();
  }

  private Snapshot applied() {
    Snapshot snapshot =
        snapshot(
            3,
            List.of(
                host(
                    "web",
                    List.of("web.example.com", "*.web.example.com"),
                    prefix("a", "/a", "web"),
                    prefix("b", "/", "web"))),
            List.of(
                cluster(
                    "web",
                    new InetSocketAddress("10.0.0.1", 80),
                    new InetSocketAddress("10.0.0.2", 80))));
    tables.swap(RoutingTable.from(snapshot));
    return snapshot;
  }

  @Test
  void answersLiveAlways() {
    assertThat(get("/live")).startsWith("HTTP/1.1 200 OK\r\n");
  }

  @Test
  void isNotReadyUntilASnapshotIsApplied() {
    assertThat(get("/ready")).startsWith("HTTP/1.1 503 Service Unavailable\r\n");

    applied();

    assertThat(get("/ready")).startsWith("HTTP/1.1 200 OK\r\n");
  }

  @Test
  void isNotReadyOnceDrainingForShutdown() {
    applied();
    draining.set(true);

    assertThat(get("/ready"))
        .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .endsWith("draining for shutdown\n");
    assertThat(get("/live")).startsWith("HTTP/1.1 200 OK\r\n");
  }

  @Test
  void describesTheServedSnapshotAsJson() {
    assertThat(get("/snapshot"))
        .contains("application/json")
        .endsWith(
            "{\"version\":0,\"digest\":\"\",\"virtualHosts\":0,\"routes\":0,\"clusters\":0,\"endpoints\":0}");

    Snapshot snapshot = applied();

    assertThat(get("/snapshot"))
        .endsWith(
            "{\"version\":3,\"digest\":\""
                + snapshot.getDigest()
                + "\",\"virtualHosts\":1,\"routes\":2,\"clusters\":1,\"endpoints\":2}");
  }

  @Test
  void exposesMetricsInPrometheusTextFormat() {
    Counter.builder("gantry.dataplane.requests")
        .tag("status_class", "2xx")
        .register(registry)
        .increment(3);

    assertThat(get("/metrics"))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("text/plain; version=0.0.4; charset=utf-8")
        .contains("gantry_dataplane_requests_total{status_class=\"2xx\"} 3.0");
  }

  @Test
  void refusesUnknownPathsAndMethods() {
    assertThat(get("/nope")).startsWith("HTTP/1.1 404 Not Found\r\n");
    assertThat(request("POST /ready HTTP/1.1\r\nHost: admin\r\nContent-Length: 0\r\n\r\n"))
        .startsWith("HTTP/1.1 405 Method Not Allowed\r\n");
  }

  @Test
  void keepsTheConnectionOpenBetweenRequests() {
    get("/live");
    get("/ready");

    assertThat(channel.isOpen()).isTrue();
    assertThat(request("GET /live HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
    assertThat(channel.isOpen()).isFalse();
  }
}
