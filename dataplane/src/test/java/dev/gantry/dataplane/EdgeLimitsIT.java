package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.pipeline.ListenerLimits;
import dev.gantry.dataplane.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listener limits as a client on a real socket sees them. */
class EdgeLimitsIT {

  private DataplaneFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start(UnaryOperator<ListenerLimits> limits) {
    fixture = DataplaneFixture.start(c -> c.withLimits(limits.apply(ListenerLimits.DEFAULT)));
    fixture.apply(
        snapshot(
            1,
            List.of(host("shop", List.of("shop.example.com"), direct("ok", "/", 200, "ok"))),
            List.of()));
  }

  @Test
  void answers408ToAClientThatSendsItsHeadersTooSlowly() throws IOException {
    start(l -> l.withHeadersTimeout(Duration.ofMillis(300)));

    try (RawHttp client = RawHttp.connect(fixture.dataplane.httpPort())) {
      client.send("GET / HTTP/1.1\r\nHost: shop.example.com\r\n"); // and never the blank line
      RawHttp.Response response = client.read();

      assertThat(response.status()).isEqualTo(408);
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(client.readUntilClosed()).isEmpty();
    }
  }

  @Test
  void closesConnectionsOverTheListenerLimitAtOnce() throws IOException {
    start(l -> l.withMaxConnections(1));

    try (RawHttp first = RawHttp.connect(fixture.dataplane.httpPort())) {
      assertThat(first.get("shop.example.com", "/").status()).isEqualTo(200); // surely counted
      try (RawHttp second = RawHttp.connect(fixture.dataplane.httpPort())) {
        assertThat(second.readUntilClosed()).isEmpty();
      }
      assertThat(first.get("shop.example.com", "/").status()).isEqualTo(200);
    }
  }
}
