package dev.gantry.dataplane.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Probes one endpoint of one cluster every interval: a plain HTTP/1.1 {@code GET} on a connection
 * of its own (never the request pools), closed after the response head. The first probe comes after
 * a random part of the interval and each next one after the interval ± a tenth, so that endpoints
 * and dataplanes do not probe in lockstep.
 *
 * <p>Confined to one event loop; {@link #stop()} may be called from any thread.
 */
final class HealthProbe {
  private static final String USER_AGENT = "gantry-health-check";

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final InetSocketAddress address;
  private final HealthCheckPolicy policy;
  private final ClusterHealth cluster;
  private volatile boolean stopped;
  private ScheduledFuture<?> next; // on the loop

  HealthProbe(
      EventLoop loop,
      Bootstrap template,
      InetSocketAddress address,
      HealthCheckPolicy policy,
      ClusterHealth cluster) {
    this.loop = loop;
    this.address = address;
    this.policy = policy;
    this.cluster = cluster;
    this.bootstrap =
        template
            .clone(loop)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis(policy))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new ProbeHandler());
                  }
                });
  }

  private static long timeoutMillis(HealthCheckPolicy policy) {
    return Math.max(1, Math.min(Integer.MAX_VALUE, policy.timeout().toMillis()));
  }

  /** Schedules the first probe. */
  void start() {
    long interval = policy.interval().toNanos();
    loop.execute(() -> schedule(ThreadLocalRandom.current().nextLong(interval)));
  }

  /** Stops probing; a probe under way finishes and reports nothing. */
  void stop() {
    stopped = true;
    loop.execute(
        () -> {
          if (next != null) {
            next.cancel(false);
          }
        });
  }

  private void schedule(long delayNanos) {
    if (!stopped) {
      next = loop.schedule(this::probe, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void scheduleNext() {
    long interval = policy.interval().toNanos();
    long jitter = interval / 10;
    long delay =
        interval + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1));
    schedule(Math.max(1, delay));
  }

  private void probe() {
    if (stopped) {
      return;
    }
    Round round = new Round();
    round.timer =
        loop.schedule(() -> round.finish(false), policy.timeout().toNanos(), TimeUnit.NANOSECONDS);
    ChannelFuture connect = bootstrap.attr(ROUND, round).connect(address);
    round.channel = connect.channel();
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            round.finish(false);
          }
        });
  }

  private static final io.netty.util.AttributeKey<Round> ROUND =
      io.netty.util.AttributeKey.valueOf(HealthProbe.class, "round");

  /** One probe: ends once, by a response head, a failure or the timeout. */
  private final class Round {
    Channel channel;
    ScheduledFuture<?> timer;
    boolean done;

    void finish(boolean passed) {
      if (done) {
        return;
      }
      done = true;
      if (timer != null) {
        timer.cancel(false);
      }
      if (channel != null) {
        channel.close();
      }
      if (!stopped) {
        cluster.probed(address, passed);
        scheduleNext();
      }
    }
  }

  private final class ProbeHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      FullHttpRequest request =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, policy.path());
      String host =
          policy.host().isEmpty() ? NetUtil.toSocketAddressString(address) : policy.host();
      request
          .headers()
          .set(HttpHeaderNames.HOST, host)
          .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(request);
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof HttpResponse response && response.status().code() >= 200) {
          round(ctx).finish(policy.passes(response.status().code()));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      round(ctx).finish(false); // closed before a response head: failed (a no-op after one)
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      round(ctx).finish(false);
    }

    private Round round(ChannelHandlerContext ctx) {
      return ctx.channel().attr(ROUND).get();
    }
  }
}
