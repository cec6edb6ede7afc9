package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNullElse;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.observe.AccessLogHandler;
import dev.gantry.dataplane.observe.Exchange;
import dev.gantry.dataplane.routing.CorsPolicy;
import dev.gantry.dataplane.routing.HeaderEdits;
import dev.gantry.dataplane.routing.Route;
import dev.gantry.dataplane.routing.RouteAction;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.routing.StickySession;
import dev.gantry.dataplane.routing.UpstreamCluster;
import dev.gantry.dataplane.routing.VirtualHost;
import dev.gantry.dataplane.tls.TlsConnection;
import dev.gantry.dataplane.tls.TlsPolicy;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import dev.gantry.dataplane.upstream.UpstreamProtocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
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
  private final boolean tls;
  private final RouteAction.Redirect httpsRedirect;

  /** The policy this connection was handshaken under; {@code null} on the cleartext listener. */
  private final TlsPolicy handshaken;

  /** The base64 decoder of the gRPC-Web text-mode request last forwarded, else null. */
  private GrpcWebTextDecoder requestDecoder;

  /**
   * @param httpsRedirect how a cleartext request for a host that redirects to HTTPS is answered;
   *     {@code null} when this dataplane has no TLS listener (such hosts are then served)
   */
  RequestDispatcher(
      RoutingTableHolder tables,
      UpstreamConnector upstreams,
      ProxyMetrics metrics,
      ClusterLoads loads,
      ChannelHandlerContext ctx,
      Forwarding forwarding,
      RouteAction.Redirect httpsRedirect) {
    this.loads = loads;
    this.tables = tables;
    this.upstreams = upstreams;
    this.metrics = metrics;
    this.ctx = ctx;
    this.forwarding = forwarding;
    this.tls = "https".equals(forwarding.scheme());
    this.httpsRedirect = httpsRedirect;
    this.handshaken =
        tls ? requireNonNullElse(TlsConnection.policy(ctx.channel()), TlsPolicy.DEFAULT) : null;
  }

  /** Returns the virtual host of a request in the current table, or null when none serves it. */
  VirtualHost host(RequestTarget target) {
    return tables.current().host(target.authority());
  }

  /**
   * Returns what the proxy answers for {@code host} before looking for a route, or null to route
   * the request. On the TLS listener, 421 Misdirected Request when the host has another TLS policy
   * than the one the connection was handshaken under (SNI naming another host, or HTTP/2 connection
   * reuse), so that client validation cannot be bypassed. On the cleartext listener, the 308 to
   * HTTPS of a host that asks for it, else 421 for a host that requires client certificates. A
   * request no virtual host serves is left to the 404.
   */
  FullHttpResponse hostResponse(VirtualHost host, RequestTarget target) {
    if (host == null) {
      return null;
    }
    if (tls) {
      return host.tlsPolicy().sameAs(handshaken) ? null : LocalResponses.misdirected();
    }
    if (httpsRedirect != null && host.redirectsToHttps(target.path())) {
      return redirectToHttps(target);
    }
    return host.refusesCleartext(target.path()) ? LocalResponses.clientCertificateRequired() : null;
  }

  private FullHttpResponse redirectToHttps(RequestTarget target) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT);
    response
        .headers()
        .set(
            HttpHeaderNames.LOCATION,
            httpsRedirect.location(
                forwarding.scheme(), target.authority(), target.path(), target.originForm()))
        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return response;
  }

  /**
   * Returns the route of {@code request}, or null when none matches; notes it in the access log.
   */
  Route route(VirtualHost host, HttpRequest request, RequestTarget target) {
    Route route =
        host == null
            ? null
            : host.match(target.path(), request.method(), request.headers(), target.originForm());
    Exchange logged = AccessLogHandler.exchange(ctx.channel());
    if (logged != null && route != null) {
      logged.routed(route.name());
    }
    return route;
  }

  /**
   * Returns the proxy's answer to a CORS preflight for {@code route}: 204 with what the route's
   * policy allows, or 403 when it does not allow the origin, method or headers asked for; null when
   * the request is no preflight or the route has no CORS policy (then it is routed as usual).
   */
  static FullHttpResponse preflight(Route route, HttpRequest request) {
    if (route == null
        || route.cors() == null
        || !CorsPolicy.isPreflight(request.method(), request.headers())) {
      return null;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    HeaderEdits answer =
        route.cors().allows(origin) ? route.cors().preflight(origin, request.headers()) : null;
    return answer == null ? LocalResponses.preflightRefused() : LocalResponses.preflight(answer);
  }

  /**
   * Returns the CORS headers of the response to {@code request} on {@code route}, or null when the
   * route has no CORS policy or the request no Origin it allows.
   */
  static HeaderEdits corsHeaders(Route route, HttpRequest request) {
    if (route == null || route.cors() == null) {
      return null;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    return origin != null && route.cors().allows(origin) ? route.cors().response(origin) : null;
  }

  /**
   * Returns the response the proxy answers itself for a request to {@code route} (null: no route),
   * or null when the route forwards.
   */
  FullHttpResponse localResponse(Route route, RequestTarget target, String scheme) {
    if (route == null) {
      return LocalResponses.noRoute();
    }
    if (!route.websocket() && ExtendedConnect.requested(ctx.channel())) {
      // Forwarded as a plain GET, its 200 would tell the client that the WebSocket was accepted.
      return LocalResponses.websocketOff();
    }
    return switch (route.action()) {
      case RouteAction.Respond respond -> LocalResponses.direct(respond);
      case RouteAction.Redirect redirect ->
          RouteRequests.redirect(route, redirect, target, scheme, tls);
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
      Downstream downstream,
      HeaderEdits cors) {
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
    // A WebSocket handshake (an HTTP/1.1 Upgrade, or an HTTP/2 stream's extended CONNECT) goes
    // upstream as an HTTP/1.1 one on a route that has WebSocket on.
    boolean http2 = ctx.channel() instanceof Http2StreamChannel;
    boolean upgrade =
        route.websocket()
            && (http2
                ? ExtendedConnect.requested(ctx.channel())
                : WebSocketUpgrade.requested(request));
    if (upgrade && cluster.transport().protocol() != UpstreamProtocol.HTTP1) {
      log.debug(
          "route {}: WebSocket upgrade refused, cluster {} speaks HTTP/2",
          route.name(),
          cluster.name());
      cluster.balancer().completed(endpoint);
      ReferenceCountUtil.release(body);
      downstream.respondLocally(LocalResponses.upgradeUnsupported());
      return null;
    }
    // gRPC-Web is translated for HTTP/2 backends; others get it as it came (they may speak it).
    GrpcWeb.Mode web =
        route.grpcWeb() && cluster.transport().protocol() == UpstreamProtocol.H2C
            ? GrpcWeb.mode(request.headers())
            : null;
    requestDecoder = web == GrpcWeb.Mode.TEXT ? new GrpcWebTextDecoder() : null;
    if (requestDecoder != null && body != null) {
      try {
        body = (LastHttpContent) requestDecoder.decode(body);
      } catch (IllegalArgumentException e) {
        log.debug(
            "gRPC-Web text request from {} refused: {}", forwarding.peerAddress(), e.getMessage());
        downstream.respondLocally(LocalResponses.rejected(RequestRejection.MALFORMED));
        return null;
      }
    }
    HttpRequest upstreamRequest =
        MessageRewriter.upstreamRequest(
            request, target, upgrade ? forwarding.upgrading() : forwarding);
    if (upgrade && http2) {
      WebSocketUpgrade.toHttp1Handshake(upstreamRequest.headers());
    }
    RouteRequests.applyFilters(route, target, upstreamRequest);
    if (web != null) {
      GrpcWeb.toGrpcRequest(upstreamRequest, web);
      GrpcWebResponseEncoder.activate(ctx.pipeline(), ctx.name(), web);
    }
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
    // A WebSocket handshake is not mirrored: a mirror would open a second session of its own.
    List<MirrorExchange> mirrors =
        upgrade
            ? List.of()
            : MirrorExchange.sendAll(
                upstreams, ctx.channel().eventLoop(), route, upstreamRequest, body);
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
            hostFromEndpoint,
            cors == null ? route.responseHeaders(tls) : route.responseHeaders(tls).then(cors),
            timeout(route, request),
            upgrade);
    forwarded.start(endpoint, body);
    return forwarded;
  }

  /**
   * Returns the base64 decoder the rest of the body of the request last forwarded must go through
   * (a gRPC-Web text-mode call translated for an HTTP/2 backend), or null.
   */
  GrpcWebTextDecoder requestDecoder() {
    return requestDecoder;
  }

  /**
   * Returns how long the exchange may take over all attempts: the route's request timeout, or a
   * gRPC call's own deadline when that is sooner; zero for no limit.
   */
  private static Duration timeout(Route route, HttpRequest request) {
    Duration timeout = route.requestTimeout();
    Duration deadline = Grpc.isCall(request.headers()) ? Grpc.timeout(request.headers()) : null;
    if (deadline == null || (!timeout.isZero() && timeout.compareTo(deadline) <= 0)) {
      return timeout;
    }
    return deadline.isZero() ? Duration.ofNanos(1) : deadline; // 0: already past its deadline
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
