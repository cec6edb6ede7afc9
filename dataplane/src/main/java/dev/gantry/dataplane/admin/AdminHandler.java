package dev.gantry.dataplane.admin;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Answers the admin endpoints: {@code GET /live}, {@code /ready}, {@code /metrics} (Prometheus
 * text) and {@code /snapshot} (what is served, as JSON). Shared by all admin connections;
 * stateless. Releases each request (via {@link SimpleChannelInboundHandler}).
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json";

  private final RoutingTableHolder tables;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier draining;

  AdminHandler(
      RoutingTableHolder tables, PrometheusMeterRegistry registry, BooleanSupplier draining) {
    this.tables = requireNonNull(tables, "tables");
    this.registry = requireNonNull(registry, "registry");
    this.draining = requireNonNull(draining, "draining");
  }

  /** Not ready before the first snapshot, and again once draining for shutdown. */
  private FullHttpResponse ready() {
    if (draining.getAsBoolean()) {
      return response(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining for shutdown\n", TEXT);
    }
    return tables.hasApplied()
        ? response(HttpResponseStatus.OK, "ready\n", TEXT)
        : response(HttpResponseStatus.SERVICE_UNAVAILABLE, "no snapshot applied yet\n", TEXT);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    FullHttpResponse response = respond(request);
    if (!HttpUtil.isKeepAlive(request) || request.decoderResult().isFailure()) {
      HttpUtil.setKeepAlive(response, false);
    }
    ctx.writeAndFlush(response);
  }

  private FullHttpResponse respond(FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return response(HttpResponseStatus.BAD_REQUEST, "bad request\n", TEXT);
    }
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
      FullHttpResponse response =
          response(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n", TEXT);
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      return response;
    }
    return switch (new QueryStringDecoder(request.uri()).path()) {
      case "/live" -> response(HttpResponseStatus.OK, "live\n", TEXT);
      case "/ready" -> ready();
      case "/metrics" -> response(HttpResponseStatus.OK, registry.scrape(), PROMETHEUS_TEXT);
      case "/snapshot" -> response(HttpResponseStatus.OK, snapshotJson(tables.current()), JSON);
      default ->
          response(
              HttpResponseStatus.NOT_FOUND,
              "not found: try /live, /ready, /metrics, /snapshot\n",
              TEXT);
    };
  }

  /**
   * Returns {@code
   * {"version":N,"digest":"…","virtualHosts":N,"routes":N,"clusters":N,"endpoints":N}}.
   */
  static String snapshotJson(RoutingTable table) {
    RoutingTable.Stats stats = table.stats();
    return "{\"version\":"
        + Long.toUnsignedString(table.version())
        + ",\"digest\":\""
        + jsonEscape(table.digest())
        + "\""
        + ",\"virtualHosts\":"
        + stats.virtualHosts()
        + ",\"routes\":"
        + stats.routes()
        + ",\"clusters\":"
        + stats.clusters()
        + ",\"endpoints\":"
        + stats.endpoints()
        + "}";
  }

  private static String jsonEscape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static FullHttpResponse response(
      HttpResponseStatus status, String body, String contentType) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return response;
  }
}
