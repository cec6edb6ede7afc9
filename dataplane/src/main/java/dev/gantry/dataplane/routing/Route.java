package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One route of a virtual host: a match and what to do on a match. Immutable; safe from any thread.
 *
 * @param name {@code <kind>/<namespace>/<name>/rule-<i>}, for logs
 * @param match the conditions a request must meet
 * @param action forward or respond
 * @param requestTimeout the longest whole exchange with the upstream; {@link Duration#ZERO} for
 *     none
 * @param filters header edits, rewrites and mirrors; {@link RouteFilters#NONE} for none
 * @param maxRequestBodyBytes the largest request body accepted (413 above it); 0 for no limit
 * @param retry when a failed attempt at the upstream is tried again
 * @param tlsResponseHeaders the response edits for a client on the TLS listener: the filters', then
 *     the virtual host's Strict-Transport-Security (never sent in cleartext, RFC 6797 §7.2)
 * @param grpcWeb whether gRPC-Web calls to an HTTP/2 cluster are translated to gRPC
 * @param cors the route's CORS policy; {@code null} for none (preflights are routed as usual)
 * @param websocket whether a WebSocket upgrade is forwarded and, on the upstream's 101, relayed
 * @param upgradeIdleTimeout how long a relayed (upgraded) connection may carry no byte either way
 *     before both sides are closed
 * @param sources the client addresses served; {@link SourceFilter#ANY} for every client
 * @param rateLimit the route's rate limit; {@code null} for none
 */
public record Route(
    String name,
    RouteMatch match,
    RouteAction action,
    Duration requestTimeout,
    RouteFilters filters,
    long maxRequestBodyBytes,
    RetryPolicy retry,
    HeaderEdits tlsResponseHeaders,
    boolean grpcWeb,
    CorsPolicy cors,
    boolean websocket,
    Duration upgradeIdleTimeout,
    SourceFilter sources,
    RateLimiter rateLimit) {

  /** The idle timeout of an upgraded connection whose route sets none. */
  public static final Duration DEFAULT_UPGRADE_IDLE_TIMEOUT = Duration.ofHours(1);

  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(requestTimeout, "requestTimeout");
    requireNonNull(filters, "filters");
    requireNonNull(retry, "retry");
    requireNonNull(tlsResponseHeaders, "tlsResponseHeaders");
    requireNonNull(upgradeIdleTimeout, "upgradeIdleTimeout");
    requireNonNull(sources, "sources");
    if (upgradeIdleTimeout.isNegative() || upgradeIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "upgradeIdleTimeout: " + upgradeIdleTimeout + " (expected: > 0)");
    }
    if (requestTimeout.isNegative()) {
      throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: >= 0)");
    }
    if (maxRequestBodyBytes < 0) {
      throw new IllegalArgumentException(
          "maxRequestBodyBytes: " + maxRequestBodyBytes + " (expected: >= 0, 0 for no limit)");
    }
  }

  /** Returns the edits to a response sent to the client, over TLS or not. */
  public HeaderEdits responseHeaders(boolean tls) {
    return tls ? tlsResponseHeaders : filters.responseHeaders();
  }
}
