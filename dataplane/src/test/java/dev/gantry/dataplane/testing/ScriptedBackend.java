package dev.gantry.dataplane.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP server that runs a script on each accepted connection, for upstreams that
 * misbehave.
 */
public final class ScriptedBackend implements AutoCloseable {

  /** What to do with one accepted connection. */
  @FunctionalInterface
  public interface Script {
    void run(Socket socket) throws IOException;
  }

  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  private ScriptedBackend(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform()
        .daemon()
        .name("scripted-backend")
        .start(
            () -> {
              try {
                while (true) {
                  Socket socket = server.accept();
                  accepted.add(socket);
                  Thread.ofPlatform()
                      .daemon()
                      .start(
                          () -> {
                            try {
                              script.run(socket);
                            } catch (IOException ignored) {
                              // the peer went away; nothing to report
                            }
                          });
                }
              } catch (IOException closed) {
                // server closed
              }
            });
  }

  public static ScriptedBackend start(Script script) {
    try {
      return new ScriptedBackend(script);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Accepts and reads, but never answers. */
  public static ScriptedBackend silent() {
    return start(
        socket -> socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream()));
  }

  /**
   * Answers every request with the status line and headers of {@code head}, then {@code body}, then
   * closes.
   */
  public static ScriptedBackend answersThenCloses(String head, String body) {
    return start(
        socket -> {
          readRequestHead(socket.getInputStream());
          socket.getOutputStream().write((head + body).getBytes(StandardCharsets.ISO_8859_1));
          socket.getOutputStream().flush();
          socket.close();
        });
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Reads up to the blank line that ends a request head. */
  public static String readRequestHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    for (int c; matched < 4 && (c = in.read()) >= 0; ) {
      head.write(c);
      matched =
          (c == '\r' && matched % 2 == 0) || (c == '\n' && matched % 2 == 1) ? matched + 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}
