package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.routing.Route;
import dev.gantry.dataplane.routing.RouteAction;
import dev.gantry.dataplane.routing.RouteFilters;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Applies a route's request-side filters and builds its redirects: what the backend sees after a
 * URL rewrite and header edits, and the Location a redirect answers with. Pure functions over the
 * messages they are given.
 */
final class RouteRequests {

  private RouteRequests() {}

  /**
   * Rewrites {@code upstream}, the request about to be sent upstream, in place: the URL rewrite
   * first (path, keeping the query; Host), then the request header edits.
   */
  static void applyFilters(Route route, RequestTarget target, HttpRequest upstream) {
    RouteFilters filters = route.filters();
    if (filters.rewritePath() != null) {
      String origin = target.originForm();
      int query = origin.indexOf('?');
      String path = filters.rewritePath().apply(target.path());
      upstream.setUri(query < 0 ? path : path + origin.substring(query));
    }
    if (!filters.rewriteHost().isEmpty()) {
      upstream.headers().set(HttpHeaderNames.HOST, filters.rewriteHost());
    }
    filters.requestHeaders().applyTo(upstream.headers());
  }

  /** Returns the redirect response for a request, with the route's response header edits. */
  static FullHttpResponse redirect(
      Route route,
      RouteAction.Redirect redirect,
      RequestTarget target,
      String scheme,
      boolean tls) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(redirect.status()));
    response
        .headers()
        .set(
            HttpHeaderNames.LOCATION,
            redirect.location(scheme, target.authority(), target.path(), target.originForm()))
        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    route.responseHeaders(tls).applyTo(response.headers());
    return response;
  }
}
