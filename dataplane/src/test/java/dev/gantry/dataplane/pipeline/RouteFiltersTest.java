package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.pipeline.ClientChannel.bytes;
import static dev.gantry.dataplane.pipeline.ClientChannel.outbound;
import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.protocol.v1.Filter;
import dev.gantry.protocol.v1.HeaderModifier;
import dev.gantry.protocol.v1.HeaderValue;
import dev.gantry.protocol.v1.PathModifier;
import dev.gantry.protocol.v1.RedirectAction;
import dev.gantry.protocol.v1.RequestMirror;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.RouteMatch;
import dev.gantry.protocol.v1.UrlRewrite;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route filters and redirects as a client connection's pipeline applies them, on EmbeddedChannels.
 */
class RouteFiltersTest {

  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final FakeUpstreams upstreams = new FakeUpstreams();
  private EmbeddedChannel client;

  @BeforeEach
  void setUp() {
    Route redirect =
        Route.newBuilder()
            .setName("docs")
            .setMatch(RouteMatch.newBuilder().setPrefix("/docs"))
            .setRedirect(
                RedirectAction.newBuilder()
                    .setScheme("https")
                    .setHostname("docs.example.com")
                    .setPath(PathModifier.newBuilder().setReplacePrefixMatch("/"))
                    .setStatusCode(301))
            .addFilters(
                Filter.newBuilder()
                    .setResponseHeaderModifier(
                        HeaderModifier.newBuilder()
                            .addSet(
                                HeaderValue.newBuilder().setName("x-redirected").setValue("1"))))
            .build();
    Route rewrite =
        prefix("api", "/api/v1", "web").toBuilder()
            .addFilters(
                Filter.newBuilder()
                    .setUrlRewrite(
                        UrlRewrite.newBuilder()
                            .setHostname("api.internal")
                            .setPath(PathModifier.newBuilder().setReplacePrefixMatch("/v1"))))
            .addFilters(
                Filter.newBuilder()
                    .setRequestHeaderModifier(
                        HeaderModifier.newBuilder()
                            .addSet(HeaderValue.newBuilder().setName("x-env").setValue("prod"))
                            .addAdd(HeaderValue.newBuilder().setName("x-trace").setValue("gantry"))
                            .addRemove("x-debug")))
            .addFilters(
                Filter.newBuilder()
                    .setResponseHeaderModifier(
                        HeaderModifier.newBuilder()
                            .addSet(
                                HeaderValue.newBuilder()
                                    .setName("cache-control")
                                    .setValue("no-store"))
                            .addRemove("server")))
            .build();
    Route mirrored =
        prefix("mirrored", "/", "web").toBuilder()
            .addFilters(
                Filter.newBuilder()
                    .setRequestMirror(RequestMirror.newBuilder().setCluster("shadow")))
            .build();
    tables.swap(
        RoutingTable.from(
            snapshot(
                1,
                List.of(host("web", List.of("web.example.com"), redirect, rewrite, mirrored)),
                List.of(
                    cluster("web", new InetSocketAddress("10.0.0.1", 8080)),
                    cluster("shadow", new InetSocketAddress("10.0.0.9", 9090))))));
    client =
        new ClientChannel(
            new HttpServerInitializer(
                HttpServerConfig.defaults(), tables, upstreams, new SimpleMeterRegistry()));
  }

  @AfterEach
  void tearDown() {
    client.finishAndReleaseAll();
    upstreams.channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void answersARedirectItselfWithTheLocationBuiltFromTheRequest() {
    client.writeInbound(
        bytes("GET /docs/guide?page=2 HTTP/1.1\r\nHost: web.example.com:8080\r\n\r\n"));

    String response = outbound(client);

    assertThat(response)
        .startsWith("HTTP/1.1 301 Moved Permanently\r\n")
        .containsIgnoringCase("location: https://docs.example.com/guide?page=2\r\n")
        .containsIgnoringCase("x-redirected: 1\r\n")
        .containsIgnoringCase("content-length: 0\r\n");
    assertThat(upstreams.channels).isEmpty();
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void sendsTheRewrittenPathHostAndEditedHeadersUpstream() {
    client.writeInbound(
        bytes(
            "GET /api/v1/items?x=1 HTTP/1.1\r\nHost: web.example.com\r\n"
                + "X-Debug: 1\r\nX-Trace: client\r\nX-Env: dev\r\n\r\n"));

    String sent = outbound(upstreams.last()).toLowerCase(Locale.ROOT);

    assertThat(sent)
        .startsWith("get /v1/items?x=1 http/1.1\r\n")
        .contains("host: api.internal\r\n")
        .contains("x-forwarded-host: web.example.com\r\n")
        .contains("x-env: prod\r\n")
        .contains("x-trace: client\r\n", "x-trace: gantry\r\n")
        .doesNotContain("x-debug")
        .doesNotContain("x-env: dev");
  }

  @Test
  void editsTheResponseHeadersTheClientSees() {
    client.writeInbound(bytes("GET /api/v1 HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));
    EmbeddedChannel upstream = upstreams.last();
    outbound(upstream);

    upstream.writeInbound(
        bytes("HTTP/1.1 200 OK\r\nServer: secret/1.0\r\nContent-Length: 2\r\n\r\nhi"));

    String response = outbound(client).toLowerCase(Locale.ROOT);
    assertThat(response).contains("cache-control: no-store\r\n").doesNotContain("server:");
  }

  @Test
  void mirrorsABodylessRequestAndAnswersWithoutWaitingForTheMirror() {
    client.writeInbound(bytes("GET /page HTTP/1.1\r\nHost: web.example.com\r\n\r\n"));

    assertThat(upstreams.addresses)
        .containsExactly(
            new InetSocketAddress("10.0.0.9", 9090), new InetSocketAddress("10.0.0.1", 8080));
    EmbeddedChannel mirror = upstreams.channels.get(0);
    EmbeddedChannel main = upstreams.channels.get(1);
    assertThat(outbound(mirror)).startsWith("GET /page HTTP/1.1\r\n");
    outbound(main);

    main.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

    assertThat(outbound(client)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("ok");
    mirror.writeInbound(bytes("HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nnope"));
    assertThat(outbound(client)).isEmpty();
    assertThat(upstreams.recycled).hasSize(2);
  }

  @Test
  void mirrorsABodyThatStreamsChunkByChunk() {
    client.writeInbound(
        bytes(
            "POST /page HTTP/1.1\r\nHost: web.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n"));
    client.writeInbound(bytes("6\r\n world\r\n0\r\n\r\n"));

    assertThat(upstreams.addresses)
        .containsExactly(
            new InetSocketAddress("10.0.0.9", 9090), new InetSocketAddress("10.0.0.1", 8080));
    String mirrored = outbound(upstreams.channels.get(0));
    assertThat(mirrored).startsWith("POST /page HTTP/1.1\r\n").containsIgnoringCase("chunked");
    assertThat(mirrored).endsWith("\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    assertThat(outbound(upstreams.last())).endsWith("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  }

  @Test
  void abandonsAStreamingMirrorWhenTheRequestEndsBeforeItsBody() {
    client.writeInbound(
        bytes(
            "POST /page HTTP/1.1\r\nHost: web.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n"));
    EmbeddedChannel mirror = upstreams.channels.get(0);

    // The main upstream answers before the body is complete: the exchange ends without it.
    upstreams.last().writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

    assertThat(outbound(client)).startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(mirror.isOpen()).isFalse(); // a request cut short is never completed to the mirror
  }
}
