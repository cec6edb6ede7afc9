package dev.gantry.e2e.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP backend on loopback that answers {@code <name> <path>} and remembers each request's
 * headers, so a test can see what the proxy forwarded.
 */
public final class LoopbackBackend implements AutoCloseable {
  private final String name;
  private final HttpServer server;
  private final List<Headers> requests = new CopyOnWriteArrayList<>();

  public LoopbackBackend(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          requests.add(ex.getRequestHeaders());
          ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
          byte[] body =
              (name + " " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/plain");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String name() {
    return name;
  }

  /** Returns the headers of every request received so far, oldest first. */
  public List<Headers> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
