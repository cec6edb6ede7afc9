package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.h2cCluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.withCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TlsClients;
import dev.gantry.dataplane.testing.WebSocketBackend;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.Timeouts;
import dev.gantry.protocol.v1.Toggle;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * WebSocket through the proxy as the JDK's client sees it, to a Netty WebSocket backend on
 * loopback: messages both ways, pings, close codes, TLS, backpressure, a refused handshake, the
 * route's switch and its idle timeout.
 */
class WebSocketIT {

  private static final TestCertificates.Issued LOCAL =
      TestCertificates.issue("gantry/default", "fallback.test");

  private final WebSocketBackend backend = WebSocketBackend.start();
  private final HttpClient client =
      HttpClient.newBuilder()
          .sslContext(TlsClients.trustingAnyServer())
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private DataplaneFixture fixture;

  @AfterEach
  void tearDown() {
    client.shutdownNow(); // close() would wait for the open WebSockets
    if (fixture != null) {
      fixture.close();
    }
    backend.close();
  }

  private void start(Route route) {
    start(route, DataplaneConfig.Shutdown.DEFAULT);
  }

  private void start(Route route, DataplaneConfig.Shutdown shutdown) {
    fixture =
        DataplaneFixture.start(
            config ->
                config
                    .withHttps(DataplaneConfig.Listener.loopback(0))
                    .withDefaultCertificate(LOCAL.name())
                    .withShutdown(shutdown));
    fixture.apply(
        snapshot(
            1,
            List.of(withCertificate(host("local", List.of("127.0.0.1"), route), LOCAL.name())),
            List.of(cluster("ws", backend.address())),
            List.of(LOCAL.toProto())));
  }

  private static Route route() {
    return prefix("ws", "/", "ws");
  }

  private Session open(String path) {
    return openUri("ws://127.0.0.1:" + fixture.dataplane.httpPort() + path);
  }

  private Session openUri(String uri) {
    Session session = new Session();
    session.socket =
        client
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create(uri), session)
            .join();
    return session;
  }

  private String metrics() {
    return fixture.admin("/metrics").body();
  }

  @Test
  void textAndBinaryMessagesGoThroughBothWays() throws Exception {
    start(route());
    Session session = open("/chat");

    session.socket.sendText("hello", true).join();
    assertThat(session.next()).isEqualTo("text:hello");
    session.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
    assertThat(session.next()).isEqualTo("binary:3");

    assertThat(backend.handshakes()).hasSize(1);
    assertThat(backend.handshakes().getFirst())
        .containsEntry(":path", "/chat")
        .containsEntry("upgrade", "websocket")
        .containsKey("sec-websocket-key")
        .containsKey("x-forwarded-for");
    assertThat(metrics())
        .contains("gantry_dataplane_websocket_upgrades_total 1.0")
        .contains("gantry_dataplane_websocket_connections_active 1.0");
  }

  @Test
  void theHandshakeIsLoggedWithStatus101WhenTheSwitchHappens() throws Exception {
    start(route());
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger access = (Logger) LoggerFactory.getLogger("gantry.access");
    lines.start();
    access.addAppender(lines);
    try {
      Session session = open("/logged");
      await().until(() -> !lines.list.isEmpty());
      session.socket.sendText("after", true).join();
      assertThat(session.next()).isEqualTo("text:after");
    } finally {
      access.detachAppender(lines);
    }

    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.getFirst().getFormattedMessage())
        .contains("\"status\":101", "\"path\":\"/logged\"", "\"backend\":\"ws\"");
  }

  @Test
  void aLargeFragmentedMessageArrivesWhole() throws Exception {
    start(route());
    Session session = open("/big");
    String part = "x".repeat(256 * 1024);

    for (int i = 0; i < 7; i++) {
      session.socket.sendText(part, false).join();
    }
    session.socket.sendText(part, true).join();

    assertThat(session.next()).isEqualTo("text:" + part.repeat(8));
  }

  @Test
  void aPingIsAnsweredWithAPong() throws Exception {
    start(route());
    Session session = open("/ping");

    session
        .socket
        .sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8)))
        .join();

    assertThat(session.next()).isEqualTo("pong:are you there");
  }

  @Test
  void closeCodesPassBothWays() throws Exception {
    start(route());
    Session byClient = open("/client-closes");
    byClient.socket.sendClose(4001, "bye").join();
    assertThat(byClient.next()).isEqualTo("close:4001");
    await().until(() -> backend.closeCodes().contains(4001));

    Session byServer = open("/server-closes");
    byServer.socket.sendText("close:4002", true).join();
    assertThat(byServer.next()).isEqualTo("close:4002");

    await()
        .untilAsserted(
            () ->
                assertThat(metrics())
                    .contains("gantry_dataplane_websocket_connections_active 0.0"));
  }

  @Test
  void worksOverTheTlsListener() throws Exception {
    start(route());
    Session session = openUri("wss://127.0.0.1:" + fixture.dataplane.httpsPort() + "/secure");

    session.socket.sendText("over tls", true).join();

    assertThat(session.next()).isEqualTo("text:over tls");
    assertThat(backend.handshakes().getFirst()).containsEntry("x-forwarded-proto", "https");
  }

  @Test
  void aSlowReaderHoldsTheBackendBackInsteadOfFillingMemory() throws Exception {
    start(route());
    Session session = open("/flood");
    session.manualDemand = true;
    long total = 128L * 1024 * 1024;

    session.socket.sendText("flood:" + total, true).join();

    // The client reads nothing: the backend must stop, blocked, long before it wrote everything.
    await().until(backend::floodBlocked);
    long written = backend.flooded();
    assertThat(written).isLessThan(total);
    session.socket.request(Long.MAX_VALUE);
    await().atMost(Duration.ofSeconds(60)).until(() -> session.binaryBytes.get() == total);
  }

  @Test
  void aRefusedHandshakeReachesTheClientAsTheBackendAnsweredIt() {
    start(route());

    assertThatThrownBy(() -> open("/forbidden"))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    assertThat(metrics()).contains("gantry_dataplane_websocket_upgrades_total 0.0");
  }

  @Test
  void afterARefusedHandshakeTheConnectionServesTheRequestsSentBehindIt() throws Exception {
    start(route());
    String handshake =
        "GET /forbidden HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
            + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    try (RawHttp raw = RawHttp.connect(fixture.dataplane.httpPort())) {
      raw.send(handshake + handshake); // the second one held back until the first is answered
      RawHttp.Response first = raw.read();
      RawHttp.Response second = raw.read();

      assertThat(first.status()).isEqualTo(403);
      assertThat(first.body()).isEqualTo("no");
      assertThat(second.status()).isEqualTo(403);
    }
    assertThat(backend.handshakes()).hasSize(2);
  }

  @Test
  void aRouteWithWebSocketOffForwardsAPlainGet() throws Exception {
    TestBackend plain = TestBackend.start("plain");
    try {
      fixture = DataplaneFixture.start();
      fixture.apply(
          snapshot(
              1,
              List.of(
                  host(
                      "local",
                      List.of("127.0.0.1"),
                      prefix("off", "/", "plain").toBuilder()
                          .setWebsocket(Toggle.TOGGLE_OFF)
                          .build())),
              List.of(cluster("plain", plain.address()))));

      assertThatThrownBy(() -> open("/off"))
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(200));
      try (RawHttp raw = RawHttp.connect(fixture.dataplane.httpPort())) {
        raw.send(
            "GET /off HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        RawHttp.Response response = raw.read();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body())
            .contains("uri=/off", "header sec-websocket-key")
            .doesNotContain("header upgrade");
      }
    } finally {
      plain.close();
    }
  }

  @Test
  void aBackendSpeakingHttp2CannotTakeAnUpgrade() {
    fixture = DataplaneFixture.start();
    fixture.apply(
        snapshot(
            1,
            List.of(host("local", List.of("127.0.0.1"), route())),
            List.of(h2cCluster("ws", backend.address()))));

    assertThatThrownBy(() -> open("/h2"))
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(502));
    assertThat(backend.handshakes()).isEmpty();
  }

  @Test
  void theRoutesIdleTimeoutClosesAQuietRelay() throws Exception {
    start(
        route().toBuilder()
            .setTimeouts(
                Timeouts.newBuilder()
                    .setIdle(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000)))
            .build());
    Session session = open("/quiet");

    session.socket.sendText("once", true).join();
    assertThat(session.next()).isEqualTo("text:once");

    assertThat(session.next()).isIn("closed", "close:1006");
    await()
        .untilAsserted(
            () ->
                assertThat(metrics())
                    .contains("gantry_dataplane_websocket_connections_active 0.0"));
  }

  @Test
  void drainingForShutdownLeavesARelayOpenUntilTheDeadline() throws Exception {
    start(route(), new DataplaneConfig.Shutdown(Duration.ZERO, Duration.ofSeconds(3)));
    int port = fixture.dataplane.httpPort();
    Session session = open("/draining");

    Thread closer = Thread.ofPlatform().start(fixture.dataplane::close);
    await()
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                    .isInstanceOf(ConnectException.class));
    session.socket.sendText("still here", true).join();

    assertThat(session.next())
        .as("the relay carries messages while the listener drains")
        .isEqualTo("text:still here");
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(closer.isAlive()).isFalse();
    assertThat(session.next()).as("cut at the drain deadline").isIn("closed", "close:1006");
  }

  /** What the client receives, one event per line, in order. */
  private static final class Session implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final AtomicLong binaryBytes = new AtomicLong();
    private volatile boolean manualDemand;
    private WebSocket socket;

    String next() throws InterruptedException {
      String event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("an event within 30 s").isNotNull();
      return event;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        events.add("text:" + text);
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      long before = binaryBytes.getAndAdd(data.remaining());
      if (!manualDemand) {
        if (last) {
          events.add("binary:" + (before + data.remaining()));
          binaryBytes.set(0);
        }
        ws.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      events.add("pong:" + StandardCharsets.UTF_8.decode(message));
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      events.add("close:" + statusCode);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      events.add("closed");
    }
  }
}
