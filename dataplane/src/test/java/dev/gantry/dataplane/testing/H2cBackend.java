package dev.gantry.dataplane.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/2 backend speaking h2c by prior knowledge (Netty), answering each stream once its
 * request has arrived:
 *
 * <ul>
 *   <li>{@code /bytes/N}: N deterministic bytes ({@link TestBackend#pattern}), written only while
 *       the stream is writable (so the proxy's reads bound it);
 *   <li>{@code /held/…}: held until {@link #releaseHeld()};
 *   <li>{@code /refuse-once/…}: the first such stream is reset with REFUSED_STREAM;
 *   <li>{@code /goaway-once/…}: the first such stream gets a GOAWAY whose last stream is the one
 *       before it (so it was never processed), and no answer;
 *   <li>anything else: a text body — {@code backend=NAME}, {@code protocol=h2c}, {@code method=…},
 *       {@code uri=…}, {@code body-bytes=N}, {@code body-sha256=…}, then one {@code header name:
 *       value} line per request header — followed by trailers: {@code x-trailer: done} and every
 *       request trailer echoed as {@code x-echo-NAME}.
 * </ul>
 *
 * Every response carries {@code x-backend: NAME} and {@code x-connection: N}, the number of the
 * HTTP/2 connection it came on (from 1).
 */
public final class H2cBackend implements AutoCloseable {

  private static final byte[] PATTERN = new byte[65_536 + 16 * 1024];

  static {
    for (int i = 0; i < PATTERN.length; i++) {
      PATTERN[i] = TestBackend.pattern(i);
    }
  }

  private final String name;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final AtomicInteger connections = new AtomicInteger();
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private final AtomicLong streamed = new AtomicLong();
  private final Map<Integer, AtomicInteger> maxActive = new ConcurrentHashMap<>();
  private volatile CountDownLatch held = new CountDownLatch(1);
  private final AtomicInteger heldStarted = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean refused =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean wentAway =
      new java.util.concurrent.atomic.AtomicBoolean();

  private H2cBackend(String name, long maxConcurrentStreams) throws InterruptedException {
    this.name = name;
    this.server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    int number = connections.incrementAndGet();
                    open.add(ch);
                    ch.closeFuture().addListener(f -> open.remove(ch));
                    ch.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forServer()
                                .initialSettings(
                                    Http2Settings.defaultSettings()
                                        .maxConcurrentStreams(maxConcurrentStreams))
                                .build(),
                            new Http2MultiplexHandler(
                                new ChannelInitializer<Http2StreamChannel>() {
                                  @Override
                                  protected void initChannel(Http2StreamChannel stream) {
                                    stream
                                        .pipeline()
                                        .addLast(
                                            new Http2StreamFrameToHttpObjectCodec(true),
                                            new Exchange(number));
                                  }
                                }));
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
  }

  /** Starts a backend named {@code name} that takes 100 concurrent streams per connection. */
  public static H2cBackend start(String name) {
    return start(name, 100);
  }

  /** Starts a backend that takes {@code maxConcurrentStreams} streams per connection. */
  public static H2cBackend start(String name, long maxConcurrentStreams) {
    try {
      return new H2cBackend(name, maxConcurrentStreams);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Returns how many HTTP/2 connections were accepted. */
  public int connections() {
    return connections.get();
  }

  /** Returns how many HTTP/2 connections are open now. */
  public int openConnections() {
    return open.size();
  }

  /** Returns the most streams that were open at once on any one connection. */
  public int maxConcurrentStreams() {
    return maxActive.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
  }

  /** Returns the request lines received, as {@code METHOD URI}. */
  public List<String> received() {
    return List.copyOf(requests);
  }

  /** Returns how many body bytes {@code /bytes/N} responses have written so far. */
  public long bytesStreamed() {
    return streamed.get();
  }

  /** Returns how many {@code /held/} requests are waiting. */
  public int heldRequests() {
    return heldStarted.get();
  }

  /** Answers the held requests. */
  public void releaseHeld() {
    CountDownLatch latch = held;
    held = new CountDownLatch(1);
    heldStarted.set(0);
    latch.countDown();
  }

  /**
   * Sends GOAWAY(NO_ERROR) on every connection, naming the last stream started: those finish, no
   * new ones are taken. The connections stay open for the client to close.
   */
  public void goAway() {
    for (Channel channel : open) {
      channel.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Serves one stream. */
  private final class Exchange extends ChannelInboundHandlerAdapter {
    private final int connection;
    private final ByteBuf body = Unpooled.buffer();
    private HttpRequest request;
    private long remaining;
    private long offset;

    Exchange(int connection) {
      this.connection = connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      AtomicInteger max = maxActive.computeIfAbsent(connection, c -> new AtomicInteger());
      int active =
          ctx.channel()
              .parent()
              .pipeline()
              .get(Http2FrameCodec.class)
              .connection()
              .numActiveStreams();
      max.accumulateAndGet(active, Math::max);
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof HttpRequest head) {
          request = head;
          requests.add(head.method() + " " + head.uri());
        }
        if (msg instanceof HttpContent content) {
          body.writeBytes(content.content());
          if (content instanceof LastHttpContent last) {
            respond(ctx, last);
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void respond(ChannelHandlerContext ctx, LastHttpContent last) {
      String uri = request.uri();
      HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      response.headers().set("x-backend", name).set("x-connection", connection);
      if (uri.startsWith("/bytes/")) {
        remaining = Long.parseLong(uri.substring("/bytes/".length()));
        ctx.writeAndFlush(response);
        writeBytes(ctx);
        return;
      }
      if (uri.startsWith("/refuse-once/") && refused.compareAndSet(false, true)) {
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
        body.release();
        return;
      }
      if (uri.startsWith("/goaway-once/") && wentAway.compareAndSet(false, true)) {
        int stream = ((Http2StreamChannel) ctx.channel()).stream().id();
        // Written past the codec, which would name the last stream it saw (this one).
        ByteBuf goAway =
            new H2Frames()
                .encode(
                    (w, c, p) ->
                        w.writeGoAway(
                            c, stream - 2, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, p));
        ctx.channel().parent().pipeline().firstContext().writeAndFlush(goAway);
        body.release();
        return;
      }
      if (uri.startsWith("/held/")) {
        heldStarted.incrementAndGet();
        CountDownLatch latch = held;
        new Thread(
                () -> {
                  try {
                    latch.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ctx.executor().execute(() -> describe(ctx, response, last));
                })
            .start();
        return;
      }
      describe(ctx, response, last);
    }

    private void describe(ChannelHandlerContext ctx, HttpResponse response, LastHttpContent last) {
      StringBuilder text = new StringBuilder();
      text.append("backend=").append(name).append('\n');
      text.append("protocol=h2c\n");
      text.append("method=").append(request.method()).append('\n');
      text.append("uri=").append(request.uri()).append('\n');
      text.append("body-bytes=").append(body.readableBytes()).append('\n');
      text.append("body-sha256=").append(sha256(body)).append('\n');
      request
          .headers()
          .forEach(
              h ->
                  text.append("header ")
                      .append(h.getKey().toLowerCase(java.util.Locale.ROOT))
                      .append(": ")
                      .append(h.getValue())
                      .append('\n'));
      ctx.write(response);
      ctx.write(
          new DefaultHttpContent(Unpooled.copiedBuffer(text.toString(), StandardCharsets.UTF_8)));
      LastHttpContent end = new DefaultLastHttpContent();
      end.trailingHeaders().set("x-trailer", "done");
      last.trailingHeaders()
          .forEach(t -> end.trailingHeaders().add("x-echo-" + t.getKey(), t.getValue()));
      ctx.writeAndFlush(end);
      body.release();
    }

    private void writeBytes(ChannelHandlerContext ctx) {
      while (remaining > 0 && ctx.channel().isWritable()) {
        int n = (int) Math.min(16 * 1024, remaining);
        // The pattern repeats every 64 KiB: slice the precomputed bytes.
        ByteBuf chunk = Unpooled.wrappedBuffer(PATTERN, (int) (offset % 65_536), n);
        offset += n;
        streamed.addAndGet(n);
        remaining -= n;
        ctx.write(new DefaultHttpContent(chunk));
      }
      if (remaining == 0) {
        remaining = -1;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        body.release();
      } else {
        ctx.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (remaining > 0 && ctx.channel().isWritable()) {
        writeBytes(ctx);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (body.refCnt() > 0) {
        body.release();
      }
      ctx.fireChannelInactive();
    }

    private static String sha256(ByteBuf bytes) {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(ByteBufUtil.getBytes(bytes));
        return HexFormat.of().formatHex(digest.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
