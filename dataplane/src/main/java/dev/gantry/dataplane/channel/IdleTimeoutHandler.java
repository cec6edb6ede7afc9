package dev.gantry.dataplane.channel;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} once a channel has neither read nor written for
 * the timeout, and again after each further timeout; what to do is the business of the handlers
 * after it.
 *
 * <p>Netty's {@code IdleStateHandler} does this by adding a listener to every write's promise (and
 * allocating one when the write had none): a cost on every message the proxy forwards. This one
 * only notes that something happened, and a check that runs four times per timeout turns that into
 * a time; the event therefore fires between one and one and a quarter timeouts after the last
 * activity. A write counts when it is issued: the proxy issues writes only while the peer keeps up.
 *
 * <p>One instance per channel; confined to the channel's event loop.
 */
public final class IdleTimeoutHandler extends ChannelDuplexHandler {

  private final long timeoutNanos;
  private final long checkNanos;
  private boolean active;
  private long lastActivityNanos;
  private ScheduledFuture<?> check;

  public IdleTimeoutHandler(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    this.timeoutNanos = timeout.toNanos();
    this.checkNanos = Math.max(1, timeoutNanos / 4);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) { // added to a live channel: channelActive will not come
      start(ctx);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    active = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    active = true;
    ctx.write(msg, promise);
  }

  private void start(ChannelHandlerContext ctx) {
    if (check == null) {
      lastActivityNanos = ctx.executor().ticker().nanoTime();
      schedule(ctx);
    }
  }

  private void stop() {
    if (check != null) {
      check.cancel(false);
    }
  }

  private void schedule(ChannelHandlerContext ctx) {
    check = ctx.executor().schedule(() -> check(ctx), checkNanos, TimeUnit.NANOSECONDS);
  }

  private void check(ChannelHandlerContext ctx) {
    if (!ctx.channel().isOpen()) {
      return;
    }
    long now = ctx.executor().ticker().nanoTime();
    if (active) {
      active = false;
      lastActivityNanos = now;
    } else if (now - lastActivityNanos >= timeoutNanos) {
      lastActivityNanos = now; // the next event, if still idle, one timeout later
      ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }
    if (ctx.channel().isOpen()) {
      schedule(ctx);
    }
  }
}
