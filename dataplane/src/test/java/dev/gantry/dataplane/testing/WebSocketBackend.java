package dev.gantry.dataplane.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A loopback WebSocket backend (Netty's {@code WebSocketServerProtocolHandler}) that echoes every
 * text and binary message whole, answers pings with pongs and a close with the same close code.
 * Commands as text messages: {@code close:N} closes with code N; {@code flood:N} sends N bytes in
 * 64 KiB binary messages, writing only while the connection is writable (so what it could write
 * shows how much the path to the client buffers). {@code /forbidden} answers 403 to the handshake.
 */
public final class WebSocketBackend implements AutoCloseable {

  private static final int MAX_MESSAGE = 16 * 1024 * 1024;
  private static final int FLOOD_CHUNK = 64 * 1024;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final Queue<Map<String, String>> handshakes = new ConcurrentLinkedQueue<>();
  private final Queue<Integer> closeCodes = new ConcurrentLinkedQueue<>();
  private final AtomicLong flooded = new AtomicLong();
  private final AtomicBoolean floodBlocked = new AtomicBoolean();

  private WebSocketBackend() throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(64 * 1024))
                        .addLast(new Handshakes())
                        .addLast(
                            new WebSocketServerProtocolHandler(
                                WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath("/")
                                    .checkStartsWith(true)
                                    .handleCloseFrames(false)
                                    .maxFramePayloadLength(MAX_MESSAGE)
                                    .build()))
                        .addLast(new WebSocketFrameAggregator(MAX_MESSAGE))
                        .addLast(new Echo());
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
  }

  public static WebSocketBackend start() {
    try {
      return new WebSocketBackend();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Returns the headers (lower-case names) of each handshake request received, in order. */
  public List<Map<String, String>> handshakes() {
    return List.copyOf(handshakes);
  }

  /** Returns the close codes received from clients, in order. */
  public List<Integer> closeCodes() {
    return List.copyOf(closeCodes);
  }

  /** Returns the bytes a flood has written so far. */
  public long flooded() {
    return flooded.get();
  }

  /** Returns whether a flood stopped because the connection was no longer writable. */
  public boolean floodBlocked() {
    return floodBlocked.get();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Records each handshake; refuses {@code /forbidden}. */
  private final class Handshakes extends SimpleChannelInboundHandler<FullHttpRequest> {
    Handshakes() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      Map<String, String> headers =
          request.headers().entries().stream()
              .collect(
                  Collectors.toMap(
                      e -> e.getKey().toLowerCase(java.util.Locale.ROOT),
                      Map.Entry::getValue,
                      (a, b) -> a + ", " + b));
      headers.put(":path", request.uri());
      handshakes.add(headers);
      if (request.uri().startsWith("/forbidden")) {
        request.release();
        DefaultFullHttpResponse forbidden =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.FORBIDDEN,
                Unpooled.copiedBuffer("no", java.nio.charset.StandardCharsets.US_ASCII));
        forbidden.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
        ctx.writeAndFlush(forbidden);
        return;
      }
      ctx.fireChannelRead(request);
    }
  }

  private final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
    private long floodLeft;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof CloseWebSocketFrame close) {
        closeCodes.add(close.statusCode());
        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
            .addListener(ChannelFutureListener.CLOSE);
      } else if (frame instanceof TextWebSocketFrame text) {
        String message = text.text();
        if (message.startsWith("close:")) {
          ctx.writeAndFlush(
              new CloseWebSocketFrame(Integer.parseInt(message.substring(6)), "server"));
        } else if (message.startsWith("flood:")) {
          floodLeft = Long.parseLong(message.substring(6));
          flood(ctx);
        } else {
          ctx.writeAndFlush(new TextWebSocketFrame(message));
        }
      } else if (frame instanceof BinaryWebSocketFrame binary) {
        ctx.writeAndFlush(new BinaryWebSocketFrame(binary.content().retain()));
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        flood(ctx);
      }
      ctx.fireChannelWritabilityChanged();
    }

    private void flood(ChannelHandlerContext ctx) {
      while (floodLeft > 0 && ctx.channel().isWritable()) {
        int size = (int) Math.min(FLOOD_CHUNK, floodLeft);
        ByteBuf chunk = ctx.alloc().buffer(size).writeZero(size);
        floodLeft -= size;
        flooded.addAndGet(size);
        ctx.writeAndFlush(new BinaryWebSocketFrame(chunk));
      }
      if (floodLeft > 0) {
        floodBlocked.set(true);
      }
    }
  }
}
