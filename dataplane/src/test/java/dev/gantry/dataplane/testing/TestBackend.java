package dev.gantry.dataplane.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 backend (JDK HttpServer). Every request is read whole, then answered:
 *
 * <ul>
 *   <li>{@code /bytes/N}: N deterministic bytes ({@link #pattern}), streamed without a
 *       Content-Length;
 *   <li>anything else: a text body describing what arrived — {@code backend=NAME}, {@code
 *       method=…}, {@code uri=…}, {@code body-bytes=N}, {@code body-sha256=…}, then one {@code
 *       header name: value} line per request header (lower-case names) — with Content-Length.
 * </ul>
 *
 * Every response carries {@code X-Backend: NAME} and {@code X-Peer-Port} (the proxy's source port,
 * which shows whether an upstream connection was reused).
 */
public final class TestBackend implements AutoCloseable {

  private final String name;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private final Queue<String> bodies = new ConcurrentLinkedQueue<>();
  private final AtomicLong streamed = new AtomicLong();

  private TestBackend(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a backend named {@code name} on a free loopback port. */
  public static TestBackend start(String name) {
    try {
      return new TestBackend(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Returns "METHOD uri" of every request received so far, in arrival order. */
  public List<String> received() {
    return List.copyOf(requests);
  }

  /** Returns "METHOD uri length sha256" of every request body received whole, in arrival order. */
  public List<String> receivedBodies() {
    return List.copyOf(bodies);
  }

  /** Returns how many {@code /bytes/N} body bytes this backend has written to its sockets. */
  public long bytesStreamed() {
    return streamed.get();
  }

  /** Returns byte {@code i} of every {@code /bytes/N} body. */
  public static byte pattern(long i) {
    return (byte) (i * 31 + (i >>> 8));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      long received = 0;
      try (InputStream body = new DigestInputStream(exchange.getRequestBody(), sha256)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = body.read(buffer)) >= 0; ) {
          received += n;
        }
      }
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      String digest = HexFormat.of().formatHex(sha256.digest());
      bodies.add(
          exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI()
              + " "
              + received
              + " "
              + digest);
      exchange.getResponseHeaders().set("X-Backend", name);
      exchange
          .getResponseHeaders()
          .set("X-Peer-Port", String.valueOf(exchange.getRemoteAddress().getPort()));
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/bytes/")) {
        streamBytes(exchange, Long.parseLong(path.substring("/bytes/".length())));
        return;
      }
      StringBuilder text =
          new StringBuilder()
              .append("backend=")
              .append(name)
              .append('\n')
              .append("method=")
              .append(exchange.getRequestMethod())
              .append('\n')
              .append("uri=")
              .append(exchange.getRequestURI())
              .append('\n')
              .append("body-bytes=")
              .append(received)
              .append('\n')
              .append("body-sha256=")
              .append(digest)
              .append('\n');
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        for (String value : header.getValue()) {
          text.append("header ")
              .append(header.getKey().toLowerCase(Locale.ROOT))
              .append(": ")
              .append(value)
              .append('\n');
        }
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private void streamBytes(HttpExchange exchange, long length) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(200, 0); // 0: chunked, no Content-Length
    try (OutputStream out = exchange.getResponseBody()) {
      byte[] buffer = new byte[64 * 1024];
      for (long sent = 0; sent < length; ) {
        int n = (int) Math.min(buffer.length, length - sent);
        for (int i = 0; i < n; i++) {
          buffer[i] = pattern(sent + i);
        }
        out.write(buffer, 0, n);
        sent += n;
        streamed.addAndGet(n);
      }
    }
  }
}
