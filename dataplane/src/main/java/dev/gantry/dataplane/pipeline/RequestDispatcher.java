package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNullElse;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.observe.AccessLogHandler;
import dev.gantry.dataplane.observe.Exchange;
import dev.gantry.dataplane.routing.Route;
import dev.gantry.dataplane.routing.RouteAction;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.routing.StickySession;
import dev.gantry.dataplane.routing.UpstreamCluster;
import dev.gantry.dataplane.tls.TlsConnection;
import dev.gantry.dataplane.tls.TlsPolicy;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to each request of one client connection: finds its route, answers what the
 * proxy answers itself (404, direct responses, redirects), and starts the upstream exchange of a
 * forwarded request — cluster and endpoint pick, the request the upstream sees, mirrors. One
 * instance per channel; confined to its event loop.
 */
final class RequestDispatcher {

  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private final RoutingTableHolder tables;
  private final UpstreamConnector upstreams;
  private final ProxyMetrics metrics;
  private final ClusterLoads loads;
  private final ChannelHandlerContext ctx;
  private final Forwarding forwarding;

  /** The policy this connection was handshaken under; {@code null} on the cleartext listener. */
  private final TlsPolicy handshaken;

  RequestDispatcher(
      RoutingTableHolder tables,
      UpstreamConnector upstreams,
      ProxyMetrics metrics,
      ClusterLoads loads,
      ChannelHandlerContext ctx,
      Forwarding forwarding) {
    this.handshaken =
        "https".equals(forwarding.scheme())
            ? requireNonNullElse(TlsConnection.policy(ctx.channel()), TlsPolicy.DEFAULT)
            : null;
    this.loads = loads;
    this.tables = tables;
    this.upstreams = upstreams;
    this.metrics = metrics;
    this.ctx = ctx;
    this.forwarding = forwarding;
  }

  /**
   * Returns the 421 Misdirected Request answer to a request this connection must not serve (see
   * {@link dev.gantry.dataplane.routing.RoutingTable#misdirected}), or null when it may serve it.
   */
  FullHttpResponse misdirected(RequestTarget target) {
    if (!tables.current().misdirected(target.authority(), handshaken)) {
      return null;
    }
    return handshaken != null
        ? LocalResponses.misdirected()
        : LocalResponses.clientCertificateRequired();
  }

  /**
   * Returns the route of {@code request}, or null when none matches; notes it in the access log.
   */
  Route route(HttpRequest request, RequestTarget target) {
    Route route =
        tables
            .current()
            .route(
                target.authority(),
                target.path(),
                request.method(),
                request.headers(),
                target.originForm());
    Exchange logged = AccessLogHandler.exchange(ctx.channel());
    if (logged != null && route != null) {
      logged.routed(route.name());
    }
    return route;
  }

  /**
   * Returns the response the proxy answers itself for a request to {@code route} (null: no route),
   * or null when the route forwards.
   */
  FullHttpResponse localResponse(Route route, RequestTarget target, String scheme) {
    if (route == null) {
      return LocalResponses.noRoute();
    }
    return switch (route.action()) {
      case RouteAction.Respond respond -> LocalResponses.direct(respond);
      case RouteAction.Redirect redirect -> RouteRequests.redirect(route, redirect, target, scheme);
      case RouteAction.Forward forward -> null;
    };
  }

  /**
   * Starts forwarding {@code request} along {@code route}, which must forward, and returns the
   * exchange; or answers 503 through {@code downstream} and returns null when the chosen cluster
   * has no endpoint. Takes ownership of {@code body} (the whole body when the request came in one
   * piece, else null).
   */
  ForwardedRequest forward(
      HttpRequest request,
      RequestTarget target,
      Route route,
      LastHttpContent body,
      Downstream downstream) {
    RouteAction.Forward forward = (RouteAction.Forward) route.action();
    StickySession session = forward.session();
    StickySession.Pin pin =
        session == null ? null : session.find(request.headers(), nowEpochSeconds());
    // A request pinned by its cookie keeps the cookie it has; any other gets one when it is served.
    StickySession issued = pin == null ? session : null;
    UpstreamCluster cluster;
    Endpoint endpoint;
    if (pin != null) {
      cluster = pin.cluster();
      endpoint = pin.endpoint();
    } else {
      cluster = forward.clusters().pick();
      endpoint =
          forward.hash().pick(cluster.balancer(), request.headers(), forwarding.peerAddress());
    }
    Exchange logged = AccessLogHandler.exchange(ctx.channel());
    if (logged != null) {
      logged.forwardedTo(cluster.name(), endpoint == null ? null : endpoint.address());
    }
    if (endpoint == null) {
      log.debug(
          "route {}: cluster {} has no endpoints ({})",
          route.name(),
          cluster.name(),
          cluster.emptyReason());
      ReferenceCountUtil.release(body);
      downstream.respondLocally(LocalResponses.noHealthyUpstream());
      return null;
    }
    HttpRequest upstreamRequest = MessageRewriter.upstreamRequest(request, target, forwarding);
    RouteRequests.applyFilters(route, target, upstreamRequest);
    if (logged != null) {
      logged.requestId(upstreamRequest.headers().get(MessageRewriter.X_REQUEST_ID));
    }
    // An HTTP/1.0 request may come without Host: upstream it names the endpoint of each attempt.
    boolean hostFromEndpoint = !upstreamRequest.headers().contains(HttpHeaderNames.HOST);
    if (hostFromEndpoint) {
      upstreamRequest
          .headers()
          .set(HttpHeaderNames.HOST, NetUtil.toSocketAddressString(endpoint.address()));
    }
    List<MirrorExchange> mirrors =
        MirrorExchange.sendAll(upstreams, ctx.channel().eventLoop(), route, upstreamRequest, body);
    ForwardedRequest forwarded =
        new ForwardedRequest(
            downstream,
            ctx,
            metrics,
            upstreams,
            route,
            cluster,
            loads.of(cluster),
            upstreamRequest,
            request.method(),
            request.protocolVersion(),
            issued == null ? null : e -> sessionCookie(issued, e),
            mirrors,
            hostFromEndpoint);
    forwarded.start(endpoint, body);
    return forwarded;
  }

  /**
   * Returns the Set-Cookie value that pins the client to {@code endpoint}: issued on the response
   * of the attempt that answered, so that a retry elsewhere pins the endpoint that served.
   */
  private String sessionCookie(StickySession session, Endpoint endpoint) {
    return session.setCookie(endpoint, "https".equals(forwarding.scheme()), nowEpochSeconds());
  }

  private static long nowEpochSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
