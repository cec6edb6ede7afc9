package dev.gantry.dataplane.pipeline;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;

import dev.gantry.dataplane.observe.AccessLogConfig;
import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.upstream.UpstreamConnection;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request CPU path without syscalls: request bytes through the real client pipeline
 * (decode, route, rewrite), re-encoded on a pooled upstream connection, the upstream's response
 * decoded and encoded back to the client. Channels are EmbeddedChannels, so what is measured is
 * Gantry and Netty's codecs, not the kernel. Run with {@code bench/jmh.sh RequestPathBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestPathBenchmark {
  private static final String HEADERS =
      "Host: web.example.com\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\n"
          + "Accept-Encoding: gzip\r\nX-Trace: 7f3a\r\n\r\n";

  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final ReusingUpstreams upstreams = new ReusingUpstreams();
  private EmbeddedChannel client;
  private ByteBuf proxied;
  private ByteBuf directRequest;
  private ByteBuf upstreamResponse;

  @Setup
  public void setUp() {
    tables.swap(
        RoutingTable.from(
            snapshot(
                1,
                List.of(
                    host(
                        "web",
                        List.of("web.example.com"),
                        direct("health", "/healthz", 200, "ok\n"),
                        prefix("api", "/", "web"))),
                List.of(cluster("web", new InetSocketAddress("10.0.0.1", 8080))))));
    client =
        new EmbeddedChannel(
            new HttpServerInitializer(
                // One connection for the whole run: lift the per-connection request cap.
                new HttpServerConfig(
                    HttpServerConfig.DEFAULT_IDLE_TIMEOUT,
                    ListenerLimits.DEFAULT.withMaxRequestsPerConnection(Integer.MAX_VALUE),
                    TrustedProxies.NONE,
                    AccessLogConfig.DEFAULT,
                    0),
                tables,
                upstreams,
                new SimpleMeterRegistry()));
    proxied = bytes("GET /api/v1/items?id=42 HTTP/1.1\r\n" + HEADERS);
    directRequest = bytes("GET /healthz HTTP/1.1\r\n" + HEADERS);
    upstreamResponse =
        bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n");
  }

  @TearDown
  public void tearDown() {
    client.finishAndReleaseAll();
    upstreams.close();
    proxied.release();
    directRequest.release();
    upstreamResponse.release();
  }

  @Benchmark
  public int proxiedRequest() {
    client.writeInbound(proxied.retainedDuplicate());
    EmbeddedChannel upstream = upstreams.lastUsed;
    int bytes = drain(upstream);
    upstream.writeInbound(upstreamResponse.retainedDuplicate());
    return bytes + drain(client);
  }

  @Benchmark
  public int directResponse() {
    client.writeInbound(directRequest.retainedDuplicate());
    return drain(client);
  }

  private static int drain(EmbeddedChannel channel) {
    int bytes = 0;
    for (Object msg; (msg = channel.readOutbound()) != null; ) {
      bytes += msg instanceof ByteBuf b ? b.readableBytes() : 1;
      ReferenceCountUtil.release(msg);
    }
    return bytes;
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.unreleasableBuffer(
        Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** A pool of upstream connections over EmbeddedChannels: a released connection is reused. */
  private static final class ReusingUpstreams implements UpstreamConnector {
    private final Deque<UpstreamConnection> idle = new ArrayDeque<>();
    private final Deque<EmbeddedChannel> all = new ArrayDeque<>();
    EmbeddedChannel lastUsed;

    @Override
    public Future<UpstreamConnection> acquire(
        EventLoop loop, InetSocketAddress address, Duration connectTimeout) {
      UpstreamConnection connection = idle.poll();
      if (connection == null) {
        EmbeddedChannel channel = new EmbeddedChannel();
        all.add(channel);
        connection = UpstreamConnection.recycled(channel, Duration.ofSeconds(60), idle::push);
      }
      lastUsed = (EmbeddedChannel) connection.channel();
      return loop.newSucceededFuture(connection);
    }

    void close() {
      all.forEach(EmbeddedChannel::finishAndReleaseAll);
    }
  }
}
