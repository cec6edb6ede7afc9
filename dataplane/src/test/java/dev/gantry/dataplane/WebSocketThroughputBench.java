package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;

import dev.gantry.dataplane.testing.WebSocketBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * WebSocket echo throughput, straight to the backend and through Gantry, in one run (not a test:
 * run by {@code bench/websocket.sh}). Each of {@code ws.connections} JDK clients keeps {@code
 * ws.window} messages of {@code ws.size} bytes in flight and sends another on each echo; after
 * {@code ws.warmup} seconds the echoes of {@code ws.duration} seconds are counted. Client, proxy
 * and backend share this JVM and the machine's CPUs, so the figures compare the two paths, not
 * absolute capacity.
 */
class WebSocketThroughputBench {

  private static final int CONNECTIONS = Integer.getInteger("ws.connections", 16);
  private static final int WINDOW = Integer.getInteger("ws.window", 8);
  private static final int WARMUP = Integer.getInteger("ws.warmup", 3);
  private static final int DURATION = Integer.getInteger("ws.duration", 5);

  @Test
  void echoThroughput() throws Exception {
    try (WebSocketBackend backend = WebSocketBackend.start();
        DataplaneFixture fixture = DataplaneFixture.start()) {
      fixture.apply(
          snapshot(
              1,
              List.of(host("local", List.of("127.0.0.1"), prefix("ws", "/", "ws"))),
              List.of(cluster("ws", backend.address()))));
      String direct = "ws://127.0.0.1:" + backend.address().getPort() + "/";
      String gantry = "ws://127.0.0.1:" + fixture.dataplane.httpPort() + "/";
      for (int size : new int[] {128, 16 * 1024}) {
        for (String[] target : new String[][] {{"direct", direct}, {"gantry", gantry}}) {
          double perSecond = run(target[1], size);
          System.out.printf(
              "websocket-bench size=%d target=%s connections=%d window=%d messages/s=%.0f"
                  + " MiB/s=%.1f%n",
              size, target[0], CONNECTIONS, WINDOW, perSecond, perSecond * size / (1024 * 1024));
        }
      }
    }
  }

  private static double run(String uri, int size) throws Exception {
    AtomicLong echoes = new AtomicLong();
    ByteBuffer message = ByteBuffer.allocate(size);
    List<WebSocket> sockets = new ArrayList<>();
    try (HttpClient client = HttpClient.newHttpClient()) {
      for (int i = 0; i < CONNECTIONS; i++) {
        Echoes listener = new Echoes(echoes, message);
        WebSocket socket =
            client.newWebSocketBuilder().buildAsync(URI.create(uri), listener).join();
        sockets.add(socket);
        for (int w = 0; w < WINDOW; w++) {
          listener.send(socket);
        }
      }
      Thread.sleep(Duration.ofSeconds(WARMUP)); // a measurement window, not synchronisation
      long before = echoes.get();
      long start = System.nanoTime();
      Thread.sleep(Duration.ofSeconds(DURATION));
      long counted = echoes.get() - before;
      double seconds = (System.nanoTime() - start) / 1e9;
      for (WebSocket socket : sockets) {
        socket.abort();
      }
      client.shutdownNow();
      return counted / seconds;
    }
  }

  /** Counts whole echoed messages and sends one more per echo, sends chained one after another. */
  private static final class Echoes implements WebSocket.Listener {
    private final AtomicLong echoes;
    private final ByteBuffer message;
    private CompletableFuture<WebSocket> last = CompletableFuture.completedFuture(null);

    Echoes(AtomicLong echoes, ByteBuffer message) {
      this.echoes = echoes;
      this.message = message;
    }

    synchronized void send(WebSocket socket) {
      last = last.thenCompose(w -> socket.sendBinary(message.duplicate(), true));
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      if (last) {
        echoes.incrementAndGet();
        send(socket);
      }
      socket.request(1);
      return null;
    }
  }
}
