package dev.gantry.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.channel.IdleTimeoutHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One HTTP/1.1 connection to an upstream endpoint, or one HTTP/2 stream on a shared connection,
 * leased to one exchange at a time; either way the exchange writes and reads HTTP/1-style messages
 * ({@code HttpRequest}, {@code HttpContent}, trailers in {@code LastHttpContent}). It reads
 * whenever the upstream sends (auto-read on, so a response costs no epoll changes); the exchange
 * pauses reading while the client cannot take more (backpressure) and resumes it. On HTTP/2 a
 * paused stream returns no window to the upstream, so the stream's window, not the connection,
 * bounds it.
 *
 * <p>Confined to its channel's event loop; every method must be called there. The exchange that
 * acquired it must end with exactly one of {@link #release()} or {@link #close()}.
 */
public final class UpstreamConnection {

  private final Channel channel;
  private final UpstreamConnectionHandler handler;
  private final Consumer<UpstreamConnection> recycler;

  private UpstreamConnection(Channel channel, Consumer<UpstreamConnection> recycler) {
    this.channel = requireNonNull(channel, "channel");
    this.handler =
        requireNonNull(channel.pipeline().get(UpstreamConnectionHandler.class), "handler");
    this.recycler = requireNonNull(recycler, "recycler");
  }

  /**
   * Installs the upstream handlers on {@code channel} (connected or about to be) and returns a
   * connection over it that {@link #release()} hands to {@code recycler} — a pool — while it is
   * still open.
   */
  public static UpstreamConnection recycled(
      Channel channel, Duration idleTimeout, Consumer<UpstreamConnection> recycler) {
    install(channel.pipeline(), idleTimeout);
    return new UpstreamConnection(channel, recycler);
  }

  /** Returns a connection over a channel whose handlers are already installed. */
  static UpstreamConnection of(Channel channel, Consumer<UpstreamConnection> recycler) {
    return new UpstreamConnection(channel, recycler);
  }

  /**
   * Installs the upstream handlers and returns a connection that is closed, not reused, on release.
   */
  public static UpstreamConnection unpooled(Channel channel, Duration idleTimeout) {
    return recycled(channel, idleTimeout, connection -> connection.channel().close());
  }

  /**
   * Adds the HTTP/1.1 client codec, the idle timeout and the exchange hand-off to {@code pipeline}.
   */
  static void install(ChannelPipeline pipeline, Duration idleTimeout) {
    pipeline.addLast("http-client-codec", new HttpClientCodec());
    pipeline.addLast("idle-timeout", new IdleTimeoutHandler(idleTimeout));
    pipeline.addLast("upstream-exchange", new UpstreamConnectionHandler());
  }

  /**
   * Adds the handlers of one HTTP/2 stream to {@code pipeline}: frames to HTTP/1-style messages
   * (requests get {@code te: trailers}, responses lose the {@code x-http2-*} headers Netty adds),
   * the idle timeout and the exchange hand-off.
   */
  static void installStream(ChannelPipeline pipeline, Duration idleTimeout, Http2Connection http2) {
    pipeline.addLast("h2-http-codec", new Http2StreamFrameToHttpObjectCodec(false, true));
    pipeline.addLast("h2-stream-headers", H2cStreamHeadersHandler.INSTANCE);
    pipeline.addLast("idle-timeout", new IdleTimeoutHandler(idleTimeout));
    pipeline.addLast("upstream-exchange", new UpstreamConnectionHandler(http2));
  }

  /** Routes this connection's events to {@code listener} until release, close or failure. */
  public void attach(UpstreamListener listener) {
    handler.attach(requireNonNull(listener, "listener"));
  }

  /** Writes {@code msg} (an HTTP request part) without flushing; takes ownership of it. */
  public ChannelFuture write(Object msg) {
    return channel.write(msg);
  }

  /**
   * Writes {@code msg} without flushing and without a future to listen to; takes ownership of it. A
   * failed write reaches the attached listener as {@link UpstreamListener#onFailure}, like any
   * other failure of the connection: no listener per message on the request path.
   */
  public void send(Object msg) {
    channel.write(msg, channel.voidPromise());
  }

  /** Writes and flushes {@code msg}; takes ownership of it. */
  public ChannelFuture writeAndFlush(Object msg) {
    return channel.writeAndFlush(msg);
  }

  /** Flushes what was written. */
  public void flush() {
    channel.flush();
  }

  /** Stops reading the upstream socket until {@link #resumeReading()}: the client is full. */
  public void pauseReading() {
    channel.config().setAutoRead(false);
  }

  /** Reads the upstream socket again (a no-op when reading was not paused). */
  public void resumeReading() {
    channel.config().setAutoRead(true);
  }

  /** Returns whether the outbound buffer is below its high watermark. */
  public boolean isWritable() {
    return channel.isWritable();
  }

  /** Returns whether the connection is open and connected. */
  public boolean isActive() {
    return channel.isActive();
  }

  /** Returns the endpoint this connection goes to. */
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.remoteAddress();
  }

  /** Returns the underlying channel; for tests and logs. */
  public Channel channel() {
    return channel;
  }

  /**
   * Ends the exchange and returns the connection for reuse (or closes it if it is no longer open).
   */
  public void release() {
    handler.detach();
    resumeReading(); // parked connections read, so that an upstream closing them is noticed
    if (channel.isActive()) {
      recycler.accept(this);
    } else {
      channel.close();
    }
  }

  /**
   * Ends the exchange and takes the HTTP handlers off an HTTP/1.1 connection whose upstream
   * switched protocols (a 101): what the codec had read past the response, and everything after it,
   * goes on as bytes to the handler the caller added after them. The connection is the caller's
   * from now on, never to be released to a pool. Called while the 101 is being read.
   */
  public Channel upgrade() {
    handler.detach();
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.remove(handler);
    pipeline.remove(HttpClientCodec.class);
    return channel;
  }

  /** Ends the exchange and closes the connection: used when it is not in a state to be reused. */
  public void close() {
    handler.detach();
    channel.close();
  }

  @Override
  public String toString() {
    return "UpstreamConnection[" + channel + "]";
  }
}
