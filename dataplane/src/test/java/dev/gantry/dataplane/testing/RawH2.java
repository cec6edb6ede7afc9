package dev.gantry.dataplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Predicate;

/** A prior-knowledge HTTP/2 connection over a plain socket, frame by frame. */
public final class RawH2 implements AutoCloseable {
  public final H2Frames frames = new H2Frames();
  public final H2Frames.Log log = new H2Frames.Log();
  private final Socket socket;
  private final ByteBuf received = Unpooled.buffer();

  public RawH2(int port) throws Exception {
    this(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /** Speaks HTTP/2 over {@code socket}, e.g. a TLS socket that negotiated {@code h2} by ALPN. */
  public RawH2(Socket socket) throws Exception {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    send(frames.preface());
  }

  public void send(ByteBuf frame) throws Exception {
    OutputStream out = socket.getOutputStream();
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    frame.release();
    out.write(bytes);
    out.flush();
  }

  /** Reads frames until {@code done} holds (or the socket times out, failing the test). */
  public H2Frames.Log readUntil(Predicate<H2Frames.Log> done) throws Exception {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[16 * 1024];
    while (!done.test(log)) {
      int n = in.read(buffer);
      assertThat(n).as("connection closed early").isPositive();
      received.writeBytes(buffer, 0, n);
      frames.read(received, log);
    }
    return log;
  }

  @Override
  public void close() throws Exception {
    received.release();
    socket.close();
  }
}
