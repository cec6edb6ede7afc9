package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.observe.AccessLogHandler;
import dev.gantry.dataplane.observe.RequestMetrics;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Builds the pipeline of one client connection of the HTTP/1.1 proxy, step by step. Changes only
 * when the order or choice of handlers changes.
 *
 * <p>Auto-read is switched off: the {@link ProxyHandler} reads one message at a time when it can
 * take it. Shared by all client channels; holds no per-connection state.
 */
public final class HttpServerInitializer extends ChannelInitializer<Channel> {

  private final HttpServerConfig config;
  private final RoutingTableHolder tables;
  private final UpstreamConnector upstreams;
  private final DownstreamMetricsHandler metricsHandler;
  private final ConnectionLimitHandler connectionLimit;
  private final ProxyMetrics metrics;
  private final Supplier<AccessLogHandler> accessLog;
  private final Drain drain = new Drain();

  public HttpServerInitializer(
      HttpServerConfig config,
      RoutingTableHolder tables,
      UpstreamConnector upstreams,
      MeterRegistry registry) {
    this.config = requireNonNull(config, "config");
    this.tables = requireNonNull(tables, "tables");
    this.upstreams = requireNonNull(upstreams, "upstreams");
    this.metrics = new ProxyMetrics(requireNonNull(registry, "registry"));
    this.metricsHandler = new DownstreamMetricsHandler(metrics);
    this.accessLog = AccessLogHandler.factory(config.accessLog(), new RequestMetrics(registry));
    this.connectionLimit = new ConnectionLimitHandler(config.limits().maxConnections(), metrics);
  }

  @Override
  protected void initChannel(Channel ch) {
    ch.config().setAutoRead(false);
    ChannelPipeline pipeline = ch.pipeline();
    RequestTurn turn = new RequestTurn();
    addConnectionLimitHandlers(pipeline);
    addHttpCodecHandlers(pipeline, turn);
    addMetricsHandlers(pipeline);
    addIdleTimeoutHandlers(pipeline);
    addFlowControlHandlers(pipeline);
    addAccessLogHandlers(pipeline);
    addRequestGuardHandlers(pipeline);
    addKeepAliveHandlers(pipeline);
    addDrainHandlers(pipeline);
    addProxyHandlers(pipeline, turn);
  }

  /** Closes connections over the listener's limit before anything else sees them. */
  private void addConnectionLimitHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("connection-limit", connectionLimit);
  }

  /** Decodes strictly: see {@link StrictRequestDecoder}. */
  private void addHttpCodecHandlers(ChannelPipeline pipeline, RequestTurn turn) {
    pipeline.addLast("http-server-codec", new Http1ServerCodec(config, turn));
  }

  private void addIdleTimeoutHandlers(ChannelPipeline pipeline) {
    pipeline.addLast(
        "idle-timeout",
        new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Holds back all but one decoded message per read(): the codec emits several per socket read. */
  private void addFlowControlHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("flow-control", new FlowControlHandler());
  }

  /** Refuses malformed, ambiguous or oversized requests, in response order. */
  private void addRequestGuardHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("request-guard", new RequestGuardHandler(config.limits(), metrics));
  }

  private void addKeepAliveHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
  }

  /** Ends connections at their next request boundary when the listener drains for shutdown. */
  private void addDrainHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("drain", new DrainHandler(drain));
  }

  /** Returns the drain of this listener's client connections. */
  public Drain drain() {
    return drain;
  }

  /** Right after the codec, so it counts every response, the request guard's refusals too. */
  private void addMetricsHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("metrics", metricsHandler);
  }

  /**
   * After flow control, so it sees one request at a time, and before the request guard, so its
   * refusals are logged too.
   */
  private void addAccessLogHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("access-log", accessLog.get());
  }

  private void addProxyHandlers(ChannelPipeline pipeline, RequestTurn turn) {
    pipeline.addLast(
        "proxy", new ProxyHandler(tables, upstreams, metrics, config.trustedProxies(), turn));
  }
}
