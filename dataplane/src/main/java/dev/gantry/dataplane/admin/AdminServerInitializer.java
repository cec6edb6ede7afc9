package dev.gantry.dataplane.admin;

import dev.gantry.dataplane.routing.RoutingTableHolder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.util.function.BooleanSupplier;

/**
 * Builds the pipeline of one admin connection. Admin requests are tiny and bodiless, so they are
 * aggregated. Shared by all admin channels.
 */
public final class AdminServerInitializer extends ChannelInitializer<Channel> {

  private static final int MAX_REQUEST_BODY = 8 * 1024;

  private final AdminHandler handler;

  /**
   * @param draining true once the dataplane drains for shutdown: {@code /ready} then answers 503
   */
  public AdminServerInitializer(
      RoutingTableHolder tables, PrometheusMeterRegistry registry, BooleanSupplier draining) {
    this.handler = new AdminHandler(tables, registry, draining);
  }

  @Override
  protected void initChannel(Channel ch) {
    ChannelPipeline pipeline = ch.pipeline();
    addHttpCodecHandlers(pipeline);
    addKeepAliveHandlers(pipeline);
    addAggregatorHandlers(pipeline);
    addAdminHandlers(pipeline);
  }

  private static void addHttpCodecHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("http-server-codec", new HttpServerCodec());
  }

  private static void addKeepAliveHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
  }

  private static void addAggregatorHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BODY));
  }

  private void addAdminHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("admin", handler);
  }
}
