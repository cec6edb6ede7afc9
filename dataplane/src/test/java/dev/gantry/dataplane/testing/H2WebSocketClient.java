package dev.gantry.dataplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client over HTTP/2 (RFC 8441), which the JDK's client does not speak: one HTTP/2
 * connection (prior knowledge, or TLS with ALPN {@code h2}) on which each {@link #open} sends an
 * extended CONNECT and, on a 2xx, speaks WebSocket frames (masked, per RFC 6455) in DATA frames.
 */
public final class H2WebSocketClient implements AutoCloseable {

  private static final int MAX_MESSAGE = 16 * 1024 * 1024;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final CompletableFuture<Http2SettingsFrame> settings = new CompletableFuture<>();
  private final Channel connection;
  private final boolean tls;

  private H2WebSocketClient(int port, boolean tls) throws Exception {
    this.tls = tls;
    SslContext ssl =
        tls
            ? SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(
                    new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build()
            : null;
    connection =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "localhost", port));
                    }
                    ch.pipeline()
                        .addLast(Http2FrameCodecBuilder.forClient().build())
                        .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                        .addLast(
                            new SimpleChannelInboundHandler<Http2SettingsFrame>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, Http2SettingsFrame frame) {
                                settings.complete(frame);
                              }
                            });
                  }
                })
            .connect(InetAddress.getLoopbackAddress(), port)
            .sync()
            .channel();
  }

  /** Connects to {@code port} speaking HTTP/2 by prior knowledge. */
  public static H2WebSocketClient cleartext(int port) throws Exception {
    return new H2WebSocketClient(port, false);
  }

  /** Connects to {@code port} over TLS (any certificate), negotiating {@code h2} by ALPN. */
  public static H2WebSocketClient tls(int port) throws Exception {
    return new H2WebSocketClient(port, true);
  }

  /** Returns whether the server's first SETTINGS said SETTINGS_ENABLE_CONNECT_PROTOCOL = 1. */
  public boolean extendedConnectEnabled() throws Exception {
    Boolean enabled = settings.get(10, TimeUnit.SECONDS).settings().connectProtocolEnabled();
    return Boolean.TRUE.equals(enabled);
  }

  /**
   * Opens a stream with an extended CONNECT for {@code :protocol websocket} to {@code authority}
   * and {@code path}, plus {@code headers}, and returns once the response headers are in.
   */
  public Stream open(String authority, String path, Map<String, String> headers) throws Exception {
    Stream stream = new Stream();
    Http2StreamChannel channel =
        new Http2StreamChannelBootstrap(connection)
            .handler(
                new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel ch) {
                    ch.pipeline()
                        .addLast(stream.adapter)
                        .addLast(new WebSocket13FrameDecoder(false, true, MAX_MESSAGE))
                        .addLast(new WebSocket13FrameEncoder(true))
                        .addLast(new WebSocketFrameAggregator(MAX_MESSAGE))
                        .addLast(stream.collector);
                  }
                })
            .open()
            .get(10, TimeUnit.SECONDS);
    stream.channel = channel;
    Http2Headers request =
        new DefaultHttp2Headers()
            .method("CONNECT")
            .scheme(tls ? "https" : "http")
            .authority(authority)
            .path(path)
            .set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), "websocket")
            .set("sec-websocket-version", "13");
    headers.forEach(request::set);
    channel.writeAndFlush(new DefaultHttp2HeadersFrame(request, false)).sync();
    stream.response.get(10, TimeUnit.SECONDS);
    return stream;
  }

  @Override
  public void close() {
    connection.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One WebSocket on one stream: its response headers, then its messages as events. */
  public static final class Stream {
    private final CompletableFuture<Http2Headers> response = new CompletableFuture<>();
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final StringBuilder body = new StringBuilder();
    private volatile boolean ended;
    private Http2StreamChannel channel;

    /** DATA frames to and from bytes; the response HEADERS and the stream's end as events. */
    private final ChannelDuplexHandler adapter =
        new ChannelDuplexHandler() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame headers) {
              response.complete(headers.headers());
              if (headers.isEndStream()) {
                end();
              }
            } else if (msg instanceof Http2DataFrame data) {
              boolean last = data.isEndStream();
              if (accepted()) {
                ctx.fireChannelRead(data.content());
              } else { // a refusal's body: text, not WebSocket frames
                body.append(data.content().toString(StandardCharsets.UTF_8));
                data.release();
              }
              if (last) {
                end();
              }
            } else if (msg instanceof Http2ResetFrame reset) {
              events.add("reset:" + reset.errorCode());
              end();
            } else {
              ReferenceCountUtil.release(msg);
            }
          }

          @Override
          public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg instanceof ByteBuf buf ? new DefaultHttp2DataFrame(buf) : msg, promise);
          }
        };

    private final SimpleChannelInboundHandler<WebSocketFrame> collector =
        new SimpleChannelInboundHandler<>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            events.add(
                switch (frame) {
                  case TextWebSocketFrame text -> "text:" + text.text();
                  case BinaryWebSocketFrame binary -> "binary:" + binary.content().readableBytes();
                  case PongWebSocketFrame pong ->
                      "pong:" + pong.content().toString(StandardCharsets.UTF_8);
                  case CloseWebSocketFrame close -> "close:" + close.statusCode();
                  default -> "frame:" + frame.getClass().getSimpleName();
                });
          }
        };

    private boolean accepted() {
      return response.isDone() && response.join().status().charAt(0) == '2';
    }

    private void end() {
      if (!ended) {
        ended = true;
        events.add("end");
      }
    }

    /** Returns the {@code :status} of the response to the extended CONNECT. */
    public int status() {
      return Integer.parseInt(response.join().status().toString());
    }

    /** Returns the body of a refusal (a response other than 2xx), once the stream has ended. */
    public String body() throws InterruptedException {
      assertThat(next()).isEqualTo("end");
      return body.toString();
    }

    /** Returns the response headers. */
    public Http2Headers headers() {
      return response.join();
    }

    /** Sends {@code frame} (masked) in DATA frames. */
    public void send(WebSocketFrame frame) throws Exception {
      channel.writeAndFlush(frame).sync();
    }

    /** Ends the stream from the client's side (END_STREAM), as a FIN would. */
    public void endStream() throws Exception {
      channel.writeAndFlush(new DefaultHttp2DataFrame(true)).sync();
    }

    /**
     * Returns the next event: {@code text:...}, {@code binary:N}, {@code pong:...}, {@code
     * close:CODE}, {@code reset:CODE} or {@code end} (the stream ended).
     */
    public String next() throws InterruptedException {
      String event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("an event within 30 s").isNotNull();
      return event;
    }
  }
}
