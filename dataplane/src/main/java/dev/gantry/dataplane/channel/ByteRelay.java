package dev.gantry.dataplane.channel;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Copies bytes between two connected channels of one event loop, both ways, as they come. A side
 * stops reading while the other cannot take more (auto-read off until it is writable again), so
 * memory stays bounded by the channels' write buffer water marks. A FIN from one side is passed on
 * as a FIN to the other (as a TLS close on a TLS connection, which cannot be half-closed); the
 * relay ends when both sides have sent one, when either closes or fails, or after the idle timeout
 * with no byte either way. Other user events (a listener's drain among them) do not concern a
 * relay: it lasts until its peers or the idle timeout end it, or its channels are closed.
 *
 * <pre>
 *   first ──read──▶ [relay] ──write──▶ second      first.autoRead = second.isWritable
 *   first ◀──write── [relay] ◀──read── second      second.autoRead = first.isWritable
 * </pre>
 *
 * <p>{@link #install} puts a handler at the tail of each pipeline that holds what it reads until
 * {@link #start}; in between, the caller takes its protocol handlers out, and the bytes their
 * decoders had buffered reach the relay in order. Confined to the channels' shared event loop.
 */
public final class ByteRelay {

  /** How a relay ended: the first cause seen. */
  public enum End {
    /** Both sides sent a FIN. */
    CLOSED,
    /** The first channel closed. */
    FIRST_CLOSED,
    /** The second channel closed. */
    SECOND_CLOSED,
    /** The first channel failed. */
    FIRST_ERROR,
    /** The second channel failed. */
    SECOND_ERROR,
    /** No byte either way for the idle timeout. */
    IDLE_TIMEOUT
  }

  /** Told what a relay does; called on its event loop. */
  public interface Listener {
    /** Called for each buffer relayed, before it is written. */
    default void relayed(boolean fromFirst, int bytes) {}

    /** Called once, after both channels have closed. */
    void ended(ByteRelay relay);
  }

  private final Side first;
  private final Side second;
  private final Duration idleTimeout;
  private final Listener listener;
  private End end;
  private final long startNanos = System.nanoTime();
  private long endNanos;
  private boolean started;
  private boolean ended;

  private ByteRelay(Channel first, Channel second, Duration idleTimeout, Listener listener) {
    this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
    this.listener = requireNonNull(listener, "listener");
    this.first = new Side(requireNonNull(first, "first"));
    this.second = new Side(requireNonNull(second, "second"));
    this.first.peer = this.second;
    this.second.peer = this.first;
  }

  /**
   * Adds the relay's handler, named {@code name}, at the tail of both channels' pipelines and stops
   * both reading; what the handlers receive is held until {@link #start}. {@code listener} hears of
   * each relayed buffer and, once, of the end, after both channels have closed.
   */
  public static ByteRelay install(
      Channel first, Channel second, String name, Duration idleTimeout, Listener listener) {
    if (first.eventLoop() != second.eventLoop()) {
      throw new IllegalArgumentException("channels: on two event loops (expected: one)");
    }
    ByteRelay relay = new ByteRelay(first, second, idleTimeout, listener);
    relay.first.install(name);
    relay.second.install(name);
    return relay;
  }

  /**
   * Passes on what was held, swaps each channel's idle timeout (if it has one, else adds one) for
   * the relay's, and lets both channels read. A channel that closed meanwhile closes the other; one
   * whose input was shut already gets the other's output shut.
   */
  public void start() {
    if (started) {
      throw new IllegalStateException("relay already started");
    }
    started = true;
    first.start();
    second.start();
  }

  /** Returns the bytes read from the first channel and written to the second. */
  public long firstToSecond() {
    return first.relayed;
  }

  /** Returns the bytes read from the second channel and written to the first. */
  public long secondToFirst() {
    return second.relayed;
  }

  /** Returns how the relay ended; null while it has not. */
  public End end() {
    return end;
  }

  /** Returns how long the relay has lasted (until its end, once it ended). */
  public Duration duration() {
    return Duration.ofNanos((ended ? endNanos : System.nanoTime()) - startNanos);
  }

  private void ending(End how) {
    if (end == null) {
      end = how;
    }
  }

  private void closeBoth() {
    first.closeAfterFlush();
    second.closeAfterFlush();
  }

  private void maybeEnd() {
    if (!ended && !first.channel.isOpen() && !second.channel.isOpen()) {
      ended = true;
      endNanos = System.nanoTime();
      ending(End.CLOSED);
      listener.ended(this);
    }
  }

  /** One channel's end of the relay: reads from it go to the peer. */
  private final class Side extends ChannelInboundHandlerAdapter {

    private final Channel channel;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(2);
    private Side peer;
    private ChannelHandlerContext ctx;
    private boolean inputShut;
    private long relayed;

    Side(Channel channel) {
      this.channel = channel;
    }

    void install(String name) {
      channel.config().setAutoRead(false);
      channel.pipeline().addLast(name, this);
      channel
          .closeFuture()
          .addListener(
              f -> {
                releaseHeld();
                maybeEnd();
              });
    }

    void start() {
      ChannelPipeline pipeline = channel.pipeline();
      IdleTimeoutHandler idle = new IdleTimeoutHandler(idleTimeout);
      if (pipeline.get(IdleTimeoutHandler.class) != null) {
        pipeline.replace(IdleTimeoutHandler.class, "idle-timeout", idle);
      } else {
        pipeline.addBefore(ctx.name(), "idle-timeout", idle);
      }
      channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
      if (!channel.isActive()) {
        ending(this == first ? End.FIRST_CLOSED : End.SECOND_CLOSED);
        peer.closeAfterFlush();
        return;
      }
      for (ByteBuf buf = held.poll(); buf != null; buf = held.poll()) {
        forward(buf);
      }
      peer.ctx.flush();
      if (channel instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
        inputShut = true;
        peer.shutdownOutput();
      } else {
        channel.config().setAutoRead(peer.channel.isWritable());
      }
    }

    private void forward(ByteBuf buf) {
      relayed += buf.readableBytes();
      listener.relayed(this == first, buf.readableBytes());
      peer.ctx.write(buf, peer.ctx.voidPromise());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buf)) {
        // What a removed decoder still emitted of the protocol before (an empty last content).
        ReferenceCountUtil.release(msg);
        return;
      }
      if (!started) {
        held.add(buf);
        return;
      }
      forward(buf);
      if (!peer.channel.isWritable()) {
        channel.config().setAutoRead(false);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (started) {
        peer.ctx.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (started && peer.channel.isActive() && !peer.inputShut) {
        peer.channel.config().setAutoRead(channel.isWritable());
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == ChannelInputShutdownEvent.INSTANCE) {
        inputShut = true;
        peer.shutdownOutput();
      } else if (evt instanceof IdleStateEvent) {
        ending(End.IDLE_TIMEOUT);
        closeBoth();
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ending(this == first ? End.FIRST_CLOSED : End.SECOND_CLOSED);
      peer.closeAfterFlush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ending(this == first ? End.FIRST_ERROR : End.SECOND_ERROR);
      closeBoth();
    }

    /** Sends a FIN after what was written; closes both once the other way is done too. */
    void shutdownOutput() {
      if (!channel.isActive()) {
        return;
      }
      if (!(channel instanceof DuplexChannel duplex)
          || channel.pipeline().get(SslHandler.class) != null) {
        closeAfterFlush();
        return;
      }
      channel
          .writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              f -> {
                if (duplex.isActive()) {
                  duplex.shutdownOutput();
                }
                if (inputShut && peer.inputShut) {
                  ending(End.CLOSED);
                  closeBoth();
                }
              });
    }

    void closeAfterFlush() {
      if (channel.isActive()) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      } else {
        channel.close();
      }
    }

    private void releaseHeld() {
      for (ByteBuf buf = held.poll(); buf != null; buf = held.poll()) {
        buf.release();
      }
    }
  }
}
