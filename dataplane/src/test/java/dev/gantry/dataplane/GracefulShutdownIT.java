package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.ScriptedBackend;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a dataplane drains it: readiness fails, the listener stops accepting, idle keep-alive
 * connections close, and an exchange in flight still completes.
 */
class GracefulShutdownIT {

  @Test
  void finishesTheExchangeInFlightAndClosesIdleConnections() throws Exception {
    CountDownLatch requested = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ScriptedBackend slow =
            ScriptedBackend.start(
                socket -> {
                  ScriptedBackend.readRequestHead(socket.getInputStream());
                  requested.countDown();
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    return;
                  }
                  socket
                      .getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nslow!"
                              .getBytes(StandardCharsets.US_ASCII));
                });
        DataplaneFixture fixture = DataplaneFixture.start()) {
      fixture.apply(
          snapshot(
              1,
              List.of(
                  host(
                      "web",
                      List.of("web.example.com"),
                      direct("direct", "/direct", 200, "hi"),
                      prefix("slow", "/slow", "slow"))),
              List.of(cluster("slow", slow.address()))));
      int port = fixture.dataplane.httpPort();

      try (RawHttp idle = RawHttp.connect(port);
          RawHttp busy = RawHttp.connect(port)) {
        assertThat(idle.get("web.example.com", "/direct").status()).isEqualTo(200);
        busy.send("GET /slow HTTP/1.1\r\nHost: web.example.com\r\n\r\n");
        assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();

        Thread closer = Thread.ofPlatform().start(fixture.dataplane::close);

        assertThat(idle.readUntilClosed())
            .as("the idle connection is closed, unanswered")
            .isEmpty();
        await()
            .untilAsserted(
                () -> assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class));
        assertThat(fixture.admin("/ready").statusCode()).isEqualTo(503);
        assertThat(closer.isAlive()).as("close() waits for the exchange in flight").isTrue();

        release.countDown();
        RawHttp.Response response = busy.read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("slow!");
        assertThat(response.headers()).containsEntry("connection", "close");
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(closer.isAlive()).isFalse();
      }
    }
  }

  private static void connect(int port) throws IOException {
    new Socket(InetAddress.getLoopbackAddress(), port).close();
  }
}
