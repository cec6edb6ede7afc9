package dev.gantry.dataplane.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A TLS backend on loopback that speaks HTTP/1.1 or HTTP/2 as ALPN decides and answers each request
 * with what it saw of the connection: {@code sni=<name> alpn=<protocol> client=<subject|none>
 * path=<path>}. With a client CA it requires a client certificate issued by it.
 */
public final class TlsBackend implements AutoCloseable {

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final Queue<String> received = new ConcurrentLinkedQueue<>();

  private TlsBackend(SslContext context) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(context.newHandler(ch.alloc()), new Negotiation());
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
  }

  /**
   * Starts a backend serving {@code certificate}; with {@code clientCaPem} it requires client
   * certificates issued by that CA.
   */
  public static TlsBackend start(TestPki.Issued certificate, String clientCaPem) {
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(stream(certificate.chainPem()), stream(certificate.keyPem()))
              .sslProvider(SslProvider.JDK)
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      ApplicationProtocolConfig.Protocol.ALPN,
                      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                      ApplicationProtocolNames.HTTP_2,
                      ApplicationProtocolNames.HTTP_1_1));
      if (clientCaPem != null) {
        builder.trustManager(stream(clientCaPem)).clientAuth(ClientAuth.REQUIRE);
      }
      return new TlsBackend(builder.build());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns the backend's loopback address. */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Returns what each request saw, in arrival order. */
  public List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** Installs HTTP/1.1 or HTTP/2 once ALPN has decided. */
  private final class Negotiation extends ApplicationProtocolNegotiationHandler {
    Negotiation() {
      super(ApplicationProtocolNames.HTTP_1_1);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      String connection = describe(ctx.pipeline().get(SslHandler.class), protocol);
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        ctx.pipeline()
            .addLast(
                Http2FrameCodecBuilder.forServer().build(),
                new Http2MultiplexHandler(
                    new ChannelInitializer<Http2StreamChannel>() {
                      @Override
                      protected void initChannel(Http2StreamChannel stream) {
                        stream
                            .pipeline()
                            .addLast(
                                new Http2StreamFrameToHttpObjectCodec(true),
                                new HttpObjectAggregator(1 << 20),
                                new Answer(connection));
                      }
                    }));
      } else {
        ctx.pipeline()
            .addLast(
                new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answer(connection));
      }
    }
  }

  private static String describe(SslHandler ssl, String protocol) {
    SSLSession session = ssl.engine().getSession();
    String sni = "none";
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          sni = host.getAsciiName();
        }
      }
    }
    String client;
    try {
      client =
          ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
    } catch (SSLPeerUnverifiedException e) {
      client = "none";
    }
    return "sni=" + sni + " alpn=" + protocol + " client=" + client;
  }

  private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String connection;

    Answer(String connection) {
      this.connection = connection;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String seen = connection + " path=" + request.uri();
      received.add(seen);
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.OK,
              Unpooled.copiedBuffer(seen, StandardCharsets.UTF_8));
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      ctx.writeAndFlush(response);
    }
  }
}
