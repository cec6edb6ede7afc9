package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.testing.WebSocketBackend;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * WebSocket echo throughput, straight to the backend and through Gantry, in one run (not a test:
 * run by {@code bench/websocket.sh}). Each of {@code ws.connections} Netty clients keeps {@code
 * ws.window} messages in flight (128 B, then 16 KiB) and sends another on each echo; once {@code
 * ws.warmupMiB} have been echoed, the time the next {@code ws.measuredMiB} take is measured (a
 * fixed amount of work, so the run waits on echoes, never on a clock). Client, proxy and backend
 * share this JVM and the machine's CPUs, so the figures compare the two paths, not absolute
 * capacity.
 */
class WebSocketThroughputBench {

  private static final int CONNECTIONS = Integer.getInteger("ws.connections", 16);
  private static final int WINDOW = Integer.getInteger("ws.window", 8);
  private static final int WARMUP_MIB = Integer.getInteger("ws.warmupMiB", 2);
  private static final int MEASURED_MIB = Integer.getInteger("ws.measuredMiB", 8);
  private static final Duration LIMIT = Duration.ofMinutes(3);

  @Test
  void echoThroughput() throws Exception {
    try (WebSocketBackend backend = WebSocketBackend.start();
        DataplaneFixture fixture = DataplaneFixture.start()) {
      fixture.apply(
          snapshot(
              1,
              List.of(host("local", List.of("127.0.0.1"), prefix("ws", "/", "ws"))),
              List.of(cluster("ws", backend.address()))));
      String direct = "ws://127.0.0.1:" + backend.address().getPort() + "/";
      String gantry = "ws://127.0.0.1:" + fixture.dataplane.httpPort() + "/";
      for (int size : new int[] {128, 16 * 1024}) {
        for (String[] target : new String[][] {{"direct", direct}, {"gantry", gantry}}) {
          double perSecond = run(target[1], size);
          System.out.printf(
              "websocket-bench size=%d target=%s connections=%d window=%d messages/s=%.0f"
                  + " MiB/s=%.1f%n",
              size, target[0], CONNECTIONS, WINDOW, perSecond, perSecond * size / (1024 * 1024));
        }
      }
    }
  }

  private static double run(String uri, int size) throws Exception {
    AtomicLong echoes = new AtomicLong();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      List<Channel> channels = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        channels.add(connect(group, URI.create(uri), size, echoes));
      }
      long warmup = WARMUP_MIB * (1L << 20) / size;
      long measured = MEASURED_MIB * (1L << 20) / size;
      await().atMost(LIMIT).pollInterval(Duration.ofMillis(5)).until(() -> echoes.get() >= warmup);
      long before = echoes.get();
      long start = System.nanoTime();
      await()
          .atMost(LIMIT)
          .pollInterval(Duration.ofMillis(5))
          .until(() -> echoes.get() - before >= measured);
      long counted = echoes.get() - before;
      double seconds = (System.nanoTime() - start) / 1e9;
      channels.forEach(Channel::close);
      return counted / seconds;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /**
   * Opens one Netty WebSocket client connection that keeps {@link #WINDOW} binary messages of
   * {@code size} bytes in flight and sends one more per echo. (The JDK's WebSocket client topped
   * out at about 230 messages of 16 KiB per second over all its connections, far below the proxy
   * and the backend.)
   */
  private static Channel connect(EventLoopGroup group, URI uri, int size, AtomicLong echoes)
      throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(8192))
                    .addLast(
                        new WebSocketClientProtocolHandler(
                            WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(uri)
                                .maxFramePayloadLength(size * 2)
                                .build()))
                    .addLast(new WebSocketFrameAggregator(size * 2))
                    .addLast(new Echoes(size, echoes));
              }
            })
        .connect(uri.getHost(), uri.getPort())
        .sync()
        .channel();
  }

  /** Counts whole echoed messages and sends one more per echo. */
  private static final class Echoes extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
    private final int size;
    private final AtomicLong echoes;

    Echoes(int size, AtomicLong echoes) {
      this.size = size;
      this.echoes = echoes;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        for (int i = 0; i < WINDOW; i++) {
          send(ctx);
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame echo) {
      echoes.incrementAndGet();
      send(ctx);
    }

    private void send(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(new BinaryWebSocketFrame(ctx.alloc().buffer(size).writeZero(size)));
    }
  }
}
