package dev.gantry.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB upload and a 1 GiB download pass through the real {@code gantry} jar running with a 64
 * MiB heap and 64 MiB of direct memory: bodies stream with backpressure both ways and never sit in
 * the proxy's memory. The backend checks every byte of the upload, the test every byte of the
 * download.
 */
class LargeTransferIT {

  private static final long GIB = 1L << 30;
  private static final Pattern LISTENING = Pattern.compile("listening: http /[0-9.]+:(\\d+),");

  @TempDir Path dir;

  private HttpServer backend;
  private Process gantry;
  private Path log;
  private int port;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeEach
  void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.setExecutor(Executors.newFixedThreadPool(2));
    backend.createContext("/ping", exchange -> answer(exchange, "pong"));
    backend.createContext("/upload", exchange -> answer(exchange, checkOf(exchange)));
    backend.createContext(
        "/download",
        exchange -> {
          exchange.sendResponseHeaders(200, GIB);
          try (OutputStream out = exchange.getResponseBody()) {
            Pattern8.copy(GIB, out);
          }
        });
    backend.start();
    Files.writeString(
        dir.resolve("routes.yaml"),
        Files.readString(Path.of("src/test/resources/large-transfer.yaml"))
            .replace("BACKEND_PORT", Integer.toString(backend.getAddress().getPort())));
    log = dir.resolve("gantry.log");
    gantry =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:MaxDirectMemorySize=64m",
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                "target/gantry-cli.jar",
                "standalone",
                "--config",
                dir.toString(),
                "--bind-address",
                "127.0.0.1",
                "--http-port",
                "0",
                "--admin-port",
                "0",
                "--no-access-log")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    port = await().atMost(60, SECONDS).until(this::listeningPort, p -> p > 0 || !gantry.isAlive());
    assertThat(gantry.isAlive()).as(Files.readString(log)).isTrue();
    await()
        .atMost(30, SECONDS)
        .ignoreExceptions()
        .until(() -> get("/ping").statusCode(), s -> s == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (gantry != null) {
      gantry.destroy();
      gantry.waitFor(30, SECONDS);
      gantry.destroyForcibly();
    }
    backend.stop(0);
    http.close();
  }

  @Test
  void uploadsOneGibibyteThroughASmallHeap() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/upload"))
                .header("Host", "big.example.com")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Pattern8.stream(GIB)))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(Files.readString(log)).isEqualTo(200);
    assertThat(response.body()).isEqualTo(GIB + " " + Pattern8.crc(GIB));
    assertThat(gantry.isAlive()).as(Files.readString(log)).isTrue();
  }

  @Test
  void downloadsOneGibibyteThroughASmallHeap() throws Exception {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(uri("/download")).header("Host", "big.example.com").build(),
            HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    String received;
    try (InputStream body = response.body()) {
      received = checkOf(body);
    }
    assertThat(received).as(Files.readString(log)).isEqualTo(GIB + " " + Pattern8.crc(GIB));
    assertThat(gantry.isAlive()).as(Files.readString(log)).isTrue();
  }

  private int listeningPort() throws IOException {
    Matcher m = LISTENING.matcher(Files.readString(log));
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).header("Host", "big.example.com").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String checkOf(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return checkOf(in);
    }
  }

  /** Returns "{@code <length> <crc32c>}" of everything {@code in} yields. */
  private static String checkOf(InputStream in) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[64 * 1024];
    long length = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      crc.update(buf, 0, n);
      length += n;
    }
    return length + " " + Long.toHexString(crc.getValue());
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A deterministic byte pattern (not all zeros, so a lost or repeated block changes the CRC). */
  private static final class Pattern8 {
    private static final byte[] BLOCK = new byte[64 * 1024];

    static {
      for (int i = 0; i < BLOCK.length; i++) {
        BLOCK[i] = (byte) (i * 31 + (i >>> 8));
      }
    }

    static void copy(long length, OutputStream out) throws IOException {
      for (long left = length; left > 0; left -= BLOCK.length) {
        out.write(BLOCK, 0, (int) Math.min(BLOCK.length, left));
      }
    }

    static String crc(long length) {
      CRC32C crc = new CRC32C();
      for (long left = length; left > 0; left -= BLOCK.length) {
        crc.update(BLOCK, 0, (int) Math.min(BLOCK.length, left));
      }
      return Long.toHexString(crc.getValue());
    }

    static InputStream stream(long length) {
      return new InputStream() {
        private long position;

        @Override
        public int read() {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          if (position >= length) {
            return -1;
          }
          int at = (int) (position % BLOCK.length);
          int n = (int) Math.min(Math.min(len, BLOCK.length - at), length - position);
          System.arraycopy(BLOCK, at, b, off, n);
          position += n;
          return n;
        }
      };
    }
  }
}
