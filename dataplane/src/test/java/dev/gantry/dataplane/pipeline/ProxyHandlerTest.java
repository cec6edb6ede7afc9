package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.pipeline.ClientChannel.bytes;
import static dev.gantry.dataplane.pipeline.ClientChannel.outbound;
import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.withTimeout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.upstream.UpstreamException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives a client connection's whole pipeline on EmbeddedChannels: bytes in, bytes out, both sides.
 */
class ProxyHandlerTest {

  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final FakeUpstreams upstreams = new FakeUpstreams();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private EmbeddedChannel client;

  @BeforeEach
  void setUp() {
    tables.swap(
        RoutingTable.from(
            snapshot(
                1,
                List.of(
                    host(
                        "web",
                        List.of("web.example.com"),
                        direct("direct", "/direct", 403, "go away"),
                        withTimeout(prefix("slow", "/slow", "web"), Duration.ofSeconds(1)),
                        prefix("empty", "/empty", "empty"),
                        prefix("api", "/", "web"))),
                List.of(
                    cluster("web", new InetSocketAddress("10.0.0.1", 8080)), cluster("empty")))));
    client =
        new ClientChannel(
            new HttpServerInitializer(HttpServerConfig.defaults(), tables, upstreams, registry));
  }

  @AfterEach
  void tearDown() {
    client.finishAndReleaseAll();
    upstreams.channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void answersADirectResponseWithoutAnUpstream() {
    String response = exchange("GET /direct HTTP/1.1\r\nHost: web.example.com\r\n\r\n");

    assertThat(response)
        .startsWith("HTTP/1.1 403 Forbidden\r\n")
        .containsIgnoringCase("content-type: text/plain; charset=utf-8\r\n")
        .containsIgnoringCase("content-length: 7\r\n")
        .endsWith("\r\n\r\ngo away");
    assertThat(upstreams.channels).isEmpty();
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void answers404NoRouteForAnUnknownHost() {
    String response = exchange("GET / HTTP/1.1\r\nHost: elsewhere.example.com\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 404 Not Found\r\n").endsWith("\r\n\r\nno route");
    assertThat(
            registry.get("gantry.dataplane.requests").tag("status_class", "4xx").counter().count())
        .isEqualTo(1);
  }

  @Test
  void answers503WhenTheClusterHasNoEndpoints() {
    String response = exchange("GET /empty HTTP/1.1\r\nHost: web.example.com\r\n\r\n");

    assertThat(response)
        .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .endsWith("\r\n\r\nno healthy upstream");
    assertThat(upstreams.channels).isEmpty();
  }

  @Test
  void forwardsTheRequestWithoutHopByHopHeadersAndWithForwardedHeaders() {
    client.writeInbound(
        bytes(
            "POST /api/items?x=1 HTTP/1.1\r\n"
                + "Host: web.example.com:8080\r\n"
                + "Connection: keep-alive, X-Secret\r\n"
                + "X-Secret: s\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Trailer: X-T\r\n"
                + "Upgrade: h2c\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "X-Forwarded-For: 203.0.113.9\r\n"
                + "X-Custom: kept\r\n"
                + "Content-Length: 5\r\n\r\n"
                + "hello"));

    String sent = outbound(upstreams.last());

    assertThat(sent).startsWith("POST /api/items?x=1 HTTP/1.1\r\n").endsWith("\r\n\r\nhello");
    String head = sent.toLowerCase(Locale.ROOT);
    assertThat(head)
        .contains(
            "host: web.example.com:8080\r\n",
            "x-custom: kept\r\n",
            "content-length: 5\r\n",
            "x-forwarded-for: 192.0.2.7\r\n",
            "x-forwarded-proto: http\r\n",
            "x-forwarded-host: web.example.com:8080\r\n");
    assertThat(head)
        .doesNotContain(
            "connection:", "x-secret", "keep-alive:", "\r\nte:", "trailer:", "upgrade:");
    assertThat(upstreams.addresses).containsExactly(new InetSocketAddress("10.0.0.1", 8080));
  }

  @Test
  void streamsTheResponseBackAndRecyclesTheUpstreamConnection() {
    client.writeInbound(bytes("GET /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    EmbeddedChannel upstream = upstreams.last();
    outbound(upstream);

    upstream.writeInbound(
        bytes(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n"
                + "Keep-Alive: timeout=5\r\nX-Up: 1\r\n\r\nhi"));

    String response = outbound(client);
    assertThat(response)
        .startsWith("HTTP/1.1 200 OK\r\n")
        .containsIgnoringCase("x-up: 1\r\n")
        .containsIgnoringCase("content-length: 2\r\n")
        .endsWith("\r\n\r\nhi");
    assertThat(response.toLowerCase(Locale.ROOT)).doesNotContain("keep-alive");
    assertThat(upstreams.recycled).hasSize(1);
    assertThat(upstream.isOpen()).isTrue();
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void rechunksAChunkedUpstreamResponse() {
    client.writeInbound(bytes("GET /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    EmbeddedChannel upstream = upstreams.last();
    outbound(upstream);

    upstream.writeInbound(
        bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));

    assertThat(outbound(client))
        .containsIgnoringCase("transfer-encoding: chunked\r\n")
        .endsWith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void answersHeadWithoutABodyAndKeepsTheConnectionUsable() {
    client.writeInbound(bytes("HEAD /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    upstreams.last().writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"));

    assertThat(outbound(client))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .containsIgnoringCase("content-length: 5\r\n")
        .endsWith("\r\n\r\n");
    assertThat(upstreams.recycled).hasSize(1);
    assertThat(exchange("HEAD /direct HTTP/1.1\r\nHost: web.example.com\r\n\r\n"))
        .startsWith("HTTP/1.1 403 Forbidden\r\n")
        .endsWith("\r\n\r\n");
  }

  @Test
  void relaysAHundredContinueBeforeTheBodyFlows() {
    client.writeInbound(
        bytes(
            "PUT /api HTTP/1.1\r\nHost: web.example.com\r\nExpect: 100-continue\r\n"
                + "Content-Length: 4\r\n\r\n"));
    EmbeddedChannel upstream = upstreams.last();
    assertThat(outbound(upstream)).containsIgnoringCase("expect: 100-continue\r\n");

    upstream.writeInbound(bytes("HTTP/1.1 100 Continue\r\n\r\n"));
    assertThat(outbound(client)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");

    client.writeInbound(bytes("body"));
    assertThat(outbound(upstream)).isEqualTo("body");
    upstream.writeInbound(bytes("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
    assertThat(outbound(client)).startsWith("HTTP/1.1 201 Created\r\n");
    assertThat(upstreams.recycled).hasSize(1);
  }

  @Test
  void delimitsABodyWithoutLengthByClosingForHttp10Clients() {
    client.writeInbound(bytes("GET /api HTTP/1.0\r\nHost: web.example.com\r\n\r\n"));
    EmbeddedChannel upstream = upstreams.last();
    upstream.writeInbound(
        bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nold\r\n0\r\n\r\n"));

    String response = outbound(client);
    assertThat(response.toLowerCase(Locale.ROOT)).doesNotContain("transfer-encoding");
    assertThat(response).endsWith("\r\n\r\nold");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void servesPipelinedRequestsOneAtATime() {
    client.writeInbound(
        bytes(
            "GET /first HTTP/1.1\r\nHost: web.example.com\r\n\r\n"
                + "GET /second HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));

    assertThat(upstreams.channels).hasSize(1);
    assertThat(outbound(upstreams.last())).startsWith("GET /first ").doesNotContain("/second");

    upstreams.last().writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1"));

    assertThat(upstreams.channels).hasSize(2);
    assertThat(outbound(upstreams.last())).startsWith("GET /second ");
    upstreams.last().writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2"));
    String responses = outbound(client);
    assertThat(responses.indexOf("\r\n\r\n1")).isLessThan(responses.indexOf("\r\n\r\n2"));
  }

  @Test
  void keepsServingRequestsThatArriveInSeparateReads() {
    assertThat(exchange("GET /x HTTP/1.1\r\nHost: nowhere.example.com\r\n\r\n"))
        .startsWith("HTTP/1.1 404 ");
    assertThat(exchange("GET /direct HTTP/1.1\r\nHost: web.example.com\r\n\r\n"))
        .startsWith("HTTP/1.1 403 ");

    client.writeInbound(bytes("GET /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    upstreams.last().writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1"));
    assertThat(outbound(client)).startsWith("HTTP/1.1 200 ");

    assertThat(exchange("GET /x HTTP/1.1\r\nHost: nowhere.example.com\r\n\r\n"))
        .startsWith("HTTP/1.1 404 ");
  }

  @Test
  void drainsTheBodyOfALocallyAnsweredRequestAndServesTheNext() {
    String responses =
        exchange(
            "POST /x HTTP/1.1\r\nHost: nowhere.example.com\r\nContent-Length: 11\r\n\r\n"
                + "hello world"
                + "GET /direct HTTP/1.1\r\nHost: web.example.com\r\n\r\n");

    assertThat(responses)
        .startsWith("HTTP/1.1 404 Not Found\r\n")
        .contains("HTTP/1.1 403 Forbidden\r\n");
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void closesTheUpstreamWhenTheClientLeavesMidResponse() {
    client.writeInbound(bytes("GET /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    EmbeddedChannel upstream = upstreams.last();
    upstream.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhe"));

    client.close();

    assertThat(upstream.isOpen()).isFalse();
    assertThat(upstreams.recycled).isEmpty();
  }

  @Test
  void closesTheClientWhenTheUpstreamDiesAfterTheHeaders() {
    client.writeInbound(bytes("GET /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    EmbeddedChannel upstream = upstreams.last();
    upstream.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhe"));

    upstream.close();

    assertThat(outbound(client)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhe");
    assertThat(client.isOpen()).isFalse();
    assertThat(
            registry.get("gantry.dataplane.upstream.errors").tag("kind", "reset").counter().count())
        .isEqualTo(1);
  }

  @Test
  void answers502WhenTheUpstreamClosesBeforeResponding() {
    client.writeInbound(bytes("GET /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));

    upstreams.last().close();

    assertThat(outbound(client))
        .startsWith("HTTP/1.1 502 Bad Gateway\r\n")
        .endsWith("upstream connection reset");
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void answers502WhenTheUpstreamRefusesTheConnection() {
    upstreams.failure = new UpstreamException(UpstreamException.Kind.CONNECT_REFUSED, "refused");

    String response = exchange("GET /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n");

    assertThat(response)
        .startsWith("HTTP/1.1 502 Bad Gateway\r\n")
        .endsWith("upstream connect error");
  }

  @Test
  void retriesARefusedConnectionOnceWithTheWholeBody() {
    upstreams.failure = new UpstreamException(UpstreamException.Kind.CONNECT_REFUSED, "refused");
    upstreams.failures = 1;

    client.writeInbound(
        bytes("POST /api HTTP/1.1\r\nHost: web.example.com\r\nContent-Length: 5\r\n\r\nhello"));

    assertThat(outbound(upstreams.last()))
        .startsWith("POST /api HTTP/1.1\r\n")
        .endsWith("\r\n\r\nhello");
  }

  @Test
  void retriesARefusedConnectionOnceWithABodyThatFollows() {
    upstreams.failure = new UpstreamException(UpstreamException.Kind.CONNECT_REFUSED, "refused");
    upstreams.failures = 1;

    client.writeInbound(
        bytes("POST /api HTTP/1.1\r\nHost: web.example.com\r\nContent-Length: 5\r\n\r\n"));
    client.writeInbound(bytes("hello"));

    assertThat(outbound(upstreams.last()))
        .startsWith("POST /api HTTP/1.1\r\n")
        .endsWith("\r\n\r\nhello");
    assertThat(upstreams.channels).hasSize(1);
  }

  @Test
  void answers502WhenTheUpstreamSpeaksSomethingElse() {
    client.writeInbound(bytes("GET /api HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));

    upstreams.last().writeInbound(bytes("SSH-2.0-OpenSSH_9.6\r\n\r\n"));

    assertThat(outbound(client))
        .startsWith("HTTP/1.1 502 Bad Gateway\r\n")
        .endsWith("upstream protocol error");
    assertThat(upstreams.last().isOpen()).isFalse();
  }

  @Test
  void answers504WhenTheRouteTimeoutPasses() {
    client.writeInbound(bytes("GET /slow HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));

    client.advanceTimeBy(2, TimeUnit.SECONDS);
    client.runScheduledPendingTasks();

    assertThat(outbound(client))
        .startsWith("HTTP/1.1 504 Gateway Timeout\r\n")
        .endsWith("upstream request timeout");
    assertThat(upstreams.last().isOpen()).isFalse();
  }

  @Test
  void answers400AndClosesOnAMalformedRequest() {
    String response = exchange("GET / HTTP/1.1\r\nHost web.example.com\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
    assertThat(client.isOpen()).isFalse();
  }

  private String exchange(String request) {
    client.writeInbound(bytes(request));
    return outbound(client);
  }
}
