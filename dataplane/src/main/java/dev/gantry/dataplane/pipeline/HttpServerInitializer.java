package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.channel.IdleTimeoutHandler;
import dev.gantry.dataplane.observe.AccessLogHandler;
import dev.gantry.dataplane.observe.RequestMetrics;
import dev.gantry.dataplane.overload.MemoryPressure;
import dev.gantry.dataplane.relay.Passthrough;
import dev.gantry.dataplane.routing.RouteAction;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Builds the pipeline of one client connection, step by step: on the cleartext listener HTTP/1.1
 * with keep-alive, or HTTP/2 by prior knowledge or {@code Upgrade: h2c}; on the TLS listener
 * ({@link #tls}) a certificate picked by SNI, then HTTP/1.1 or HTTP/2 as ALPN chose. A {@link
 * ProtocolSelectionHandler} installs the handlers of the protocol chosen. HTTP/2 streams each get a
 * child channel that speaks HTTP/1-style messages to the same {@link ProxyHandler}. Changes only
 * when the order or choice of handlers changes.
 *
 * <p>Auto-read is switched off: the {@link ProxyHandler} reads one message at a time when it can
 * take it (on HTTP/2, per stream; the connection itself is read freely and bounded by flow
 * control). Shared by all client channels of both listeners (circuit-breaker counts and the {@link
 * Drain} span both); holds no per-connection state.
 */
public final class HttpServerInitializer extends ChannelInitializer<Channel> {

  /** Largest upgrade request body buffered while switching to h2c; it becomes stream 1. */
  private static final int MAX_UPGRADE_CONTENT = 64 * 1024;

  /** How long a closing connection waits for the client to close its side. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  private final HttpServerConfig config;
  private final Http2Config http2;
  private final RoutingTableHolder tables;
  private final UpstreamConnector upstreams;
  private final DownstreamMetricsHandler metricsHandler;
  private final Http2ConnectionHeadersHandler http2HeadersHandler =
      new Http2ConnectionHeadersHandler();
  private final ProxyMetrics metrics;
  // Shared by every connection and event loop, kept across snapshots: circuit breakers count here.
  private final ClusterLoads loads;
  private final Supplier<AccessLogHandler> accessLog;
  private final ConnectionLimitHandler connectionLimit;
  private final Drain drain = new Drain();
  private final MemoryPressure memoryPressure;
  private final RouteAction.Redirect httpsRedirect;

  public HttpServerInitializer(
      HttpServerConfig config,
      RoutingTableHolder tables,
      UpstreamConnector upstreams,
      MeterRegistry registry) {
    this(config, Http2Config.defaults(), tables, upstreams, registry);
  }

  public HttpServerInitializer(
      HttpServerConfig config,
      Http2Config http2,
      RoutingTableHolder tables,
      UpstreamConnector upstreams,
      MeterRegistry registry) {
    this(config, http2, tables, upstreams, MemoryPressure.NONE, registry);
  }

  public HttpServerInitializer(
      HttpServerConfig config,
      Http2Config http2,
      RoutingTableHolder tables,
      UpstreamConnector upstreams,
      MemoryPressure memoryPressure,
      MeterRegistry registry) {
    this.config = requireNonNull(config, "config");
    this.memoryPressure = requireNonNull(memoryPressure, "memoryPressure");
    this.http2 = requireNonNull(http2, "http2");
    this.tables = requireNonNull(tables, "tables");
    this.upstreams = requireNonNull(upstreams, "upstreams");
    this.metrics = new ProxyMetrics(requireNonNull(registry, "registry"));
    this.loads = new ClusterLoads(registry);
    this.metricsHandler = new DownstreamMetricsHandler(metrics);
    this.accessLog = AccessLogHandler.factory(config.accessLog(), new RequestMetrics(registry));
    this.connectionLimit = new ConnectionLimitHandler(config.limits().maxConnections(), metrics);
    // 308, as ingress-nginx answers: the method and body are kept (RFC 9110 §15.4.9).
    this.httpsRedirect =
        config.httpsRedirectPort() == 0
            ? null
            : new RouteAction.Redirect("https", "", config.httpsRedirectPort(), null, 308);
  }

  /**
   * Returns the drain of this listener's client connections: HTTP/1.1 ones close at their next
   * request boundary, HTTP/2 ones send GOAWAY and let their open streams finish.
   */
  public Drain drain() {
    return drain;
  }

  /**
   * Returns the initializer of the TLS listener: the same pipeline as the cleartext one's, with TLS
   * in front and ALPN choosing the protocol; requests are forwarded with {@code X-Forwarded-Proto:
   * https}.
   *
   * @param sniHandlers makes, per connection, the handler that reads the ClientHello and replaces
   *     itself with an {@code SslHandler} for the certificate its server name selects
   */
  public ChannelInitializer<Channel> tls(Supplier<ChannelHandler> sniHandlers) {
    return tls(sniHandlers, null);
  }

  /**
   * As {@link #tls(Supplier)}, with TLS passthrough first: a ClientHello naming a passthrough host
   * is relayed to its endpoints rather than terminated.
   *
   * @param passthrough the relays, or null for none
   */
  public ChannelInitializer<Channel> tls(
      Supplier<ChannelHandler> sniHandlers, Passthrough passthrough) {
    requireNonNull(sniHandlers, "sniHandlers");
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        initConnection(ch, sniHandlers, passthrough);
      }
    };
  }

  @Override
  protected void initChannel(Channel ch) {
    initConnection(ch, null, null);
  }

  /** Builds a connection's pipeline; {@code sniHandlers} is null on the cleartext listener. */
  private void initConnection(
      Channel ch, Supplier<ChannelHandler> sniHandlers, Passthrough passthrough) {
    ch.config().setAutoRead(false);
    drain.track(ch);
    ChannelPipeline pipeline = ch.pipeline();
    RequestTurn turn = new RequestTurn();
    String scheme = sniHandlers == null ? "http" : "https";
    addConnectionLimitHandlers(pipeline);
    addLingeringCloseHandlers(pipeline);
    addIdleTimeoutHandlers(pipeline);
    if (sniHandlers == null) {
      addProtocolDetectionHandlers(pipeline, turn, scheme);
    } else {
      addPassthroughHandlers(pipeline, passthrough);
      addTlsHandlers(pipeline, sniHandlers, turn, scheme);
    }
    addMetricsHandlers(pipeline);
    addProtocolSelectionHandlers(pipeline, turn, scheme);
  }

  /** Closes connections over the listener's limit before anything else sees them. */
  private void addConnectionLimitHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("connection-limit", connectionLimit);
  }

  /** Early, so that what a closing connection still receives reaches no other handler. */
  private void addLingeringCloseHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("lingering-close", new LingeringCloseHandler(LINGER));
  }

  /** Early, so that it sees every byte in and out whichever protocol follows. */
  private void addIdleTimeoutHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("idle-timeout", new IdleTimeoutHandler(config.idleTimeout()));
  }

  /**
   * Adds the HTTP/2 preface detector, which puts the strict HTTP/1.1 codec (see {@link
   * StrictRequestDecoder}) and the h2c upgrade handler behind itself and leaves once the first
   * bytes show whether a preface comes.
   */
  private void addProtocolDetectionHandlers(
      ChannelPipeline pipeline, RequestTurn turn, String scheme) {
    Http1ServerCodec codec = new Http1ServerCodec(config, turn);
    HttpServerUpgradeHandler upgrade =
        new HttpServerUpgradeHandler(
            codec,
            protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                    ? new Http2ServerUpgradeCodec(
                        newHttp2FrameCodec(), newHttp2MultiplexHandler(scheme))
                    : null,
            MAX_UPGRADE_CONTENT);
    pipeline.addLast(
        "protocol-detection",
        new PrefaceDetector(codec, upgrade, new PriorKnowledgeHandlers(scheme)));
  }

  /**
   * Before TLS termination, so that it sees the ClientHello first: relays a connection to a
   * passthrough host, else hands the ClientHello on untouched.
   */
  private void addPassthroughHandlers(ChannelPipeline pipeline, Passthrough passthrough) {
    if (passthrough != null) {
      pipeline.addLast(
          "passthrough",
          passthrough.newHandler(HttpServerInitializer::removeTerminationHandlers, loads::of));
    }
  }

  /** Removes what a relayed connection does not use: TLS termination and HTTP. */
  private static void removeTerminationHandlers(ChannelPipeline pipeline) {
    pipeline.remove("tls");
    pipeline.remove("alpn");
    pipeline.remove("protocol-selection");
  }

  /**
   * Adds TLS termination: the SNI handler (which becomes the {@code SslHandler}), then the ALPN
   * handler, which puts the HTTP/1.1 codec or the HTTP/2 handlers in its place after the handshake.
   * After the idle timeout, so that a client stalling its handshake is closed too.
   */
  private void addTlsHandlers(
      ChannelPipeline pipeline,
      Supplier<ChannelHandler> sniHandlers,
      RequestTurn turn,
      String scheme) {
    pipeline.addLast("tls", sniHandlers.get());
    pipeline.addLast(
        "alpn",
        new AlpnHandler(
            () -> new Http1ServerCodec(config, turn),
            this::newHttp2FrameCodec,
            () -> newHttp2MultiplexHandler(scheme),
            metrics));
  }

  /** Right after the codec, so it counts every response, the request guard's refusals too. */
  private void addMetricsHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("metrics", metricsHandler);
  }

  private void addProtocolSelectionHandlers(
      ChannelPipeline pipeline, RequestTurn turn, String scheme) {
    pipeline.addLast(
        "protocol-selection",
        new ProtocolSelectionHandler(
            p -> addHttp1Handlers(p, turn, scheme), this::addHttp2ConnectionHandlers));
  }

  /** Adds what follows the HTTP/1.1 codec once the first request did not upgrade. */
  private void addHttp1Handlers(ChannelPipeline pipeline, RequestTurn turn, String scheme) {
    addFlowControlHandlers(pipeline);
    addAccessLogHandlers(pipeline);
    addLoadSheddingHandlers(pipeline);
    addRequestGuardHandlers(pipeline);
    pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
    addDrainHandlers(pipeline);
    addProxyHandlers(pipeline, turn, scheme);
  }

  /** Adds what follows the HTTP/2 frame codec and stream multiplexer. */
  private void addHttp2ConnectionHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("h2-lifecycle", new Http2LifecycleHandler(http2.connectionWindow()));
  }

  /** Builds the pipeline of one HTTP/2 stream: HTTP/1-style messages to the proxy handler. */
  private void initHttp2Stream(Http2StreamChannel stream, String scheme) {
    stream.config().setAutoRead(false);
    ChannelPipeline pipeline = stream.pipeline();
    pipeline.addLast("h2-extended-connect", new ExtendedConnect());
    pipeline.addLast("h2-request-validation", new Http2RequestValidationHandler());
    pipeline.addLast("h2-http-codec", new Http2StreamFrameToHttpObjectCodec(true));
    pipeline.addLast("h2-connection-headers", http2HeadersHandler);
    addFlowControlHandlers(pipeline);
    addMetricsHandlers(pipeline);
    addAccessLogHandlers(pipeline);
    addLoadSheddingHandlers(pipeline);
    addProxyHandlers(pipeline, new RequestTurn(), scheme);
  }

  /** Holds back all but one decoded message per read(): codecs emit several per socket read. */
  private void addFlowControlHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("flow-control", new FlowControlHandler());
  }

  /**
   * After flow control, so it sees one request at a time, and before the request guard, so its
   * refusals are logged too.
   */
  private void addAccessLogHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("access-log", accessLog.get());
  }

  /** After the access log, so that refusals are logged; first to see each request after that. */
  private void addLoadSheddingHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("load-shedding", new LoadSheddingHandler(memoryPressure, metrics));
  }

  /** Refuses malformed, ambiguous or oversized requests, in response order. */
  private void addRequestGuardHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("request-guard", new RequestGuardHandler(config.limits(), metrics));
  }

  /** Ends connections at their next request boundary when the listener drains for shutdown. */
  private void addDrainHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("drain", new DrainHandler(drain));
  }

  /**
   * @param scheme what the client used, {@code http} or {@code https}: X-Forwarded-Proto and
   *     redirects follow it
   */
  private void addProxyHandlers(ChannelPipeline pipeline, RequestTurn turn, String scheme) {
    pipeline.addLast(
        "proxy",
        new ProxyHandler(
            tables,
            upstreams,
            metrics,
            config.trustedProxies(),
            loads,
            turn,
            scheme,
            httpsRedirect));
  }

  private Http2FrameCodec newHttp2FrameCodec() {
    Http2StreamIdGuard streamIdGuard = new Http2StreamIdGuard();
    Http2FrameCodec codec =
        Http2FrameCodecBuilder.forServer()
            .initialSettings(
                Http2Settings.defaultSettings()
                    .maxConcurrentStreams(http2.maxConcurrentStreams())
                    .initialWindowSize(http2.initialStreamWindow())
                    .maxHeaderListSize(config.limits().maxHeaderBytes())
                    // WebSocket over HTTP/2 streams (RFC 8441): see ExtendedConnect.
                    .connectProtocolEnabled(true))
            // The limit binds clients: the decoder refuses streams beyond it with REFUSED_STREAM.
            // (encoderEnforceMaxConcurrentStreams queues a client's own streams; Netty refuses it
            // on a
            // server, which only answers streams and never opens any.)
            .encoderEnforceMaxQueuedControlFrames(http2.maxQueuedControlFrames())
            .decoderEnforceMaxRstFramesPerWindow(
                http2.maxRstFramesPerWindow(), (int) http2.rstFramesWindow().toSeconds())
            .gracefulShutdownTimeoutMillis(http2.gracefulShutdown().toMillis())
            .validateHeaders(true)
            .frameLogger(streamIdGuard)
            .build();
    streamIdGuard.bind(codec.connection());
    return codec;
  }

  private Http2MultiplexHandler newHttp2MultiplexHandler(String scheme) {
    return new Http2MultiplexHandler(
        new ChannelInitializer<Http2StreamChannel>() {
          @Override
          protected void initChannel(Http2StreamChannel stream) {
            initHttp2Stream(stream, scheme);
          }
        });
  }

  /**
   * Stands in for the HTTP/2 handlers until the preface detector has seen a preface, then puts them
   * in its place: they are built only for connections that use them.
   */
  private final class PriorKnowledgeHandlers extends ChannelHandlerAdapter {
    private final String scheme;

    PriorKnowledgeHandlers(String scheme) {
      this.scheme = scheme;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline()
          .addAfter(ctx.name(), "h2-frame-codec", newHttp2FrameCodec())
          .addAfter("h2-frame-codec", "h2-multiplex", newHttp2MultiplexHandler(scheme))
          .remove(this);
    }
  }
}
