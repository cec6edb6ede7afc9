package dev.gantry.dataplane.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over one socket, for tests that care which connection carries a request
 * (keep-alive, pipelining, closes). Reads Content-Length and chunked bodies; not thread-safe.
 */
public final class RawHttp implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.socket.setSoTimeout(10_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code port} on loopback. */
  public static RawHttp connect(int port) throws IOException {
    return new RawHttp(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /** Speaks over {@code socket}, already connected (a TLS socket, say); closes it when closed. */
  public static RawHttp over(Socket socket) throws IOException {
    return new RawHttp(socket);
  }

  /** Returns this client's local port: the same value means the same connection. */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** Sends {@code request} as is (CRLFs included). */
  public void send(String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Sends {@code request} byte for byte. */
  public void sendBytes(byte[] request) throws IOException {
    out.write(request);
    out.flush();
  }

  /** Sends a GET for {@code path} with {@code host} and reads its response. */
  public Response get(String host, String path) throws IOException {
    send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    return read();
  }

  /** Reads one response. */
  public Response read() throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(); header != null && !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
        body.write(in.readNBytes(size));
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
    } else if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  /** Reads whatever arrives until the peer closes; returns the bytes. */
  public byte[] readUntilClosed() throws IOException {
    return in.readAllBytes();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) >= 0; ) {
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) c);
    }
    return line.isEmpty() ? null : line.toString();
  }

  /** One response: status, lower-case headers, body as UTF-8. */
  public record Response(int status, Map<String, String> headers, String body) {}
}
