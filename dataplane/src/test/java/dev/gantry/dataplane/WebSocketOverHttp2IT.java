package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.h2cCluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.withCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.dataplane.testing.H2WebSocketClient;
import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.WebSocketBackend;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.Toggle;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * WebSocket from HTTP/2 clients (RFC 8441 extended CONNECT) through the proxy to an HTTP/1.1
 * WebSocket backend on loopback, as a client on one HTTP/2 connection sees it.
 */
class WebSocketOverHttp2IT {

  private static final TestCertificates.Issued LOCAL =
      TestCertificates.issue("gantry/default", "fallback.test");

  private final WebSocketBackend backend = WebSocketBackend.start();
  private DataplaneFixture fixture;
  private H2WebSocketClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (fixture != null) {
      fixture.close();
    }
    backend.close();
  }

  private void start(Route route) {
    fixture =
        DataplaneFixture.start(
            config ->
                config
                    .withHttps(DataplaneConfig.Listener.loopback(0))
                    .withDefaultCertificate(LOCAL.name()));
    fixture.apply(
        snapshot(
            1,
            List.of(withCertificate(host("local", List.of("127.0.0.1"), route), LOCAL.name())),
            List.of(cluster("ws", backend.address()), h2cCluster("h2", backend.address())),
            List.of(LOCAL.toProto())));
  }

  private H2WebSocketClient.Stream open(String path) throws Exception {
    if (client == null) {
      client = H2WebSocketClient.cleartext(fixture.dataplane.httpPort());
    }
    return client.open("127.0.0.1", path, Map.of());
  }

  private String metrics() {
    return fixture.admin("/metrics").body();
  }

  @Test
  void theProxyOffersExtendedConnectAndRelaysMessagesBothWays() throws Exception {
    start(prefix("ws", "/", "ws"));
    H2WebSocketClient.Stream stream = open("/chat");

    assertThat(client.extendedConnectEnabled()).isTrue();
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.headers().contains("sec-websocket-accept")).isFalse();
    stream.send(new TextWebSocketFrame("hello"));
    assertThat(stream.next()).isEqualTo("text:hello");
    stream.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
    assertThat(stream.next()).isEqualTo("binary:3");

    // The backend saw an ordinary HTTP/1.1 handshake, with a key the proxy made up.
    assertThat(backend.handshakes()).hasSize(1);
    assertThat(backend.handshakes().getFirst())
        .containsEntry(":path", "/chat")
        .containsEntry("upgrade", "websocket")
        .containsEntry("sec-websocket-version", "13")
        .containsKey("sec-websocket-key")
        .containsKey("x-forwarded-for");
    assertThat(metrics())
        .contains("gantry_dataplane_websocket_upgrades_total 1.0")
        .contains("gantry_dataplane_websocket_connections_active 1.0");
  }

  @Test
  void severalWebSocketsShareOneConnectionAndLargeMessagesRespectFlowControl() throws Exception {
    start(prefix("ws", "/", "ws"));
    H2WebSocketClient.Stream first = open("/one");
    H2WebSocketClient.Stream second = open("/two");
    // 4 MiB each way: far beyond the proxy's 64 KiB stream window and the client's.
    byte[] big = new byte[4 * 1024 * 1024];

    first.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(big)));
    second.send(new TextWebSocketFrame("small"));

    assertThat(second.next()).isEqualTo("text:small");
    assertThat(first.next()).isEqualTo("binary:" + big.length);
    assertThat(backend.handshakes()).hasSize(2);
  }

  @Test
  void pingsAndCloseCodesPassThroughAndTheStreamEnds() throws Exception {
    start(prefix("ws", "/", "ws"));
    H2WebSocketClient.Stream stream = open("/ping");
    stream.send(
        new PingWebSocketFrame(Unpooled.copiedBuffer("are you there", StandardCharsets.UTF_8)));
    assertThat(stream.next()).isEqualTo("pong:are you there");

    stream.send(new CloseWebSocketFrame(4001, "bye"));
    assertThat(stream.next()).isEqualTo("close:4001");
    assertThat(stream.next()).isEqualTo("end"); // the backend closed: END_STREAM
    await().until(() -> backend.closeCodes().contains(4001));
    await()
        .untilAsserted(
            () ->
                assertThat(metrics())
                    .contains("gantry_dataplane_websocket_connections_active 0.0"));

    // The connection outlives the stream.
    H2WebSocketClient.Stream again = open("/again");
    again.send(new TextWebSocketFrame("close:4002"));
    assertThat(again.next()).isEqualTo("close:4002");
  }

  @Test
  void theClientEndingItsStreamEndsTheUpstreamConnectionAndThenTheStream() throws Exception {
    start(prefix("ws", "/", "ws"));
    H2WebSocketClient.Stream stream = open("/fin");
    stream.send(new TextWebSocketFrame("x"));
    assertThat(stream.next()).isEqualTo("text:x");

    stream.endStream(); // a FIN to the backend, which then closes its side

    assertThat(stream.next()).isEqualTo("end");
    await()
        .untilAsserted(
            () ->
                assertThat(metrics())
                    .contains("gantry_dataplane_websocket_connections_active 0.0"));
  }

  @Test
  void worksOnTheTlsListener() throws Exception {
    start(prefix("ws", "/", "ws"));
    client = H2WebSocketClient.tls(fixture.dataplane.httpsPort());
    H2WebSocketClient.Stream stream = client.open("127.0.0.1", "/secure", Map.of());

    assertThat(client.extendedConnectEnabled()).isTrue();
    assertThat(stream.status()).isEqualTo(200);
    stream.send(new TextWebSocketFrame("over tls"));
    assertThat(stream.next()).isEqualTo("text:over tls");
    assertThat(backend.handshakes().getFirst()).containsEntry("x-forwarded-proto", "https");
  }

  @Test
  void aRefusedHandshakeReachesTheClientAsItsStatus() throws Exception {
    start(prefix("ws", "/", "ws"));
    H2WebSocketClient.Stream stream = open("/forbidden");

    assertThat(stream.status()).isEqualTo(403);
    assertThat(stream.body()).isEqualTo("no");
    assertThat(metrics()).contains("gantry_dataplane_websocket_upgrades_total 0.0");
  }

  @Test
  void aRouteWithWebSocketOffAnswers403WithoutAskingTheBackend() throws Exception {
    start(prefix("ws", "/", "ws").toBuilder().setWebsocket(Toggle.TOGGLE_OFF).build());
    H2WebSocketClient.Stream stream = open("/off");

    assertThat(stream.status()).isEqualTo(403);
    assertThat(stream.body()).contains("WebSocket is off on this route");
    assertThat(backend.handshakes()).isEmpty();
  }

  @Test
  void aClusterSpokenToOverHttp2Gets502() throws Exception {
    start(prefix("ws", "/", "h2"));
    H2WebSocketClient.Stream stream = open("/h2");

    assertThat(stream.status()).isEqualTo(502);
    assertThat(stream.body()).contains("upstream speaks HTTP/2");
    assertThat(backend.handshakes()).isEmpty();
  }

  @Test
  void theHandshakeIsLoggedWithStatus200WhenTheStreamSwitches() throws Exception {
    start(prefix("ws", "/", "ws"));
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger access = (Logger) LoggerFactory.getLogger("gantry.access");
    lines.start();
    access.addAppender(lines);
    try {
      H2WebSocketClient.Stream stream = open("/logged");
      stream.send(new TextWebSocketFrame("after"));
      assertThat(stream.next()).isEqualTo("text:after");
      await().until(() -> !lines.list.isEmpty());
    } finally {
      access.detachAppender(lines);
    }

    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.getFirst().getFormattedMessage())
        .contains("\"status\":200", "\"method\":\"GET\"", "\"path\":\"/logged\"");
  }
}
