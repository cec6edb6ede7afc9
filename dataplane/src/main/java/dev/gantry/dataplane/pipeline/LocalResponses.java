package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.routing.HeaderEdits;
import dev.gantry.dataplane.routing.RouteAction;
import dev.gantry.dataplane.upstream.UpstreamException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Builds the responses the proxy answers itself. Each call returns a new response the caller owns.
 */
final class LocalResponses {

  private static final String TEXT = "text/plain; charset=utf-8";

  /** Names the circuit-breaker limit that a 503 answers for. */
  static final String OVERLOADED = "x-gantry-overloaded";

  private LocalResponses() {}

  /** Returns 404 {@code no route}: no virtual host or route matched. */
  static FullHttpResponse noRoute() {
    return text(HttpResponseStatus.NOT_FOUND, "no route");
  }

  /**
   * Returns 421 for a request on a TLS connection handshaken under another TLS policy than its
   * host's (RFC 9110 §15.5.20: the client retries on a new connection, with SNI naming the host).
   */
  static FullHttpResponse misdirected() {
    return text(
        HttpResponseStatus.MISDIRECTED_REQUEST,
        "misdirected request: connect with the server name of this host");
  }

  /** Returns 421 for a cleartext request to a host that requires client certificates. */
  static FullHttpResponse clientCertificateRequired() {
    return text(
        HttpResponseStatus.MISDIRECTED_REQUEST,
        "misdirected request: this host requires a client certificate over https");
  }

  /** Returns 403 for a client whose address the route does not serve. */
  static FullHttpResponse sourceRefused() {
    return text(HttpResponseStatus.FORBIDDEN, "forbidden: this address may not use this route");
  }

  /**
   * Returns 429 for a request over its route's rate limit, with the whole seconds until one would
   * be admitted in Retry-After (at least 1).
   */
  static FullHttpResponse rateLimited(long waitNanos) {
    FullHttpResponse response =
        text(HttpResponseStatus.TOO_MANY_REQUESTS, "too many requests: slow down");
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    response.headers().set(HttpHeaderNames.RETRY_AFTER, seconds);
    return response;
  }

  /** Returns 503 {@code no healthy upstream}: the chosen cluster has no endpoints. */
  static FullHttpResponse noHealthyUpstream() {
    return text(HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy upstream");
  }

  /**
   * Returns 502 for a WebSocket handshake to a cluster spoken to over HTTP/2, which cannot take an
   * HTTP/1.1 upgrade.
   */
  static FullHttpResponse upgradeUnsupported() {
    return text(HttpResponseStatus.BAD_GATEWAY, "upstream speaks HTTP/2: no WebSocket upgrade");
  }

  /**
   * Returns 403 for a WebSocket extended CONNECT (RFC 8441) on a route with WebSocket off: an
   * HTTP/1.1 handshake there goes upstream as a plain GET, but an HTTP/2 client would take that
   * GET's 200 for an accepted WebSocket.
   */
  static FullHttpResponse websocketOff() {
    return text(HttpResponseStatus.FORBIDDEN, "WebSocket is off on this route");
  }

  /** Returns the response refusing a request for {@code rejection}. */
  static FullHttpResponse rejected(RequestRejection rejection) {
    return text(rejection.status(), rejection.message());
  }

  /**
   * Returns the response for an upstream failure of {@code kind}: 504 for timeouts, 503 over the
   * connection limit, 502 otherwise.
   */
  static FullHttpResponse upstreamFailure(UpstreamException.Kind kind) {
    return switch (kind) {
      case CONNECT_REFUSED -> text(HttpResponseStatus.BAD_GATEWAY, "upstream connect error");
      case RESOLVE_FAILED -> text(HttpResponseStatus.BAD_GATEWAY, "upstream name not resolved");
      case TLS_HANDSHAKE -> text(HttpResponseStatus.BAD_GATEWAY, "upstream TLS handshake failed");
      case RESET -> text(HttpResponseStatus.BAD_GATEWAY, "upstream connection reset");
      case PROTOCOL_ERROR -> text(HttpResponseStatus.BAD_GATEWAY, "upstream protocol error");
      case CONNECT_TIMEOUT -> text(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream connect timeout");
      case TIMEOUT -> text(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream request timeout");
      case PER_TRY_TIMEOUT -> text(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream per-try timeout");
      case CONNECTION_LIMIT -> overloaded(Overload.MAX_CONNECTIONS);
      case REFUSED_STREAM ->
          text(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream refused the request");
    };
  }

  /**
   * Returns 503 for a request over a circuit-breaker limit, naming it in {@code
   * X-Gantry-Overloaded}.
   */
  static FullHttpResponse overloaded(Overload limit) {
    FullHttpResponse response =
        text(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream overloaded: " + limit.tag());
    response.headers().set(OVERLOADED, limit.tag());
    return response;
  }

  /** Returns the answer to an allowed CORS preflight: 204 with {@code headers}. */
  static FullHttpResponse preflight(HeaderEdits headers) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    headers.applyTo(response.headers());
    return response;
  }

  /** Returns 403 for a CORS preflight whose origin, method or headers the route does not allow. */
  static FullHttpResponse preflightRefused() {
    return text(HttpResponseStatus.FORBIDDEN, "CORS preflight refused");
  }

  /** Returns the route's direct response. */
  static FullHttpResponse direct(RouteAction.Respond respond) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(respond.status()),
            respond.bodyBuffer());
    if (respond.bodyLength() > 0) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, respond.contentType());
    }
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, respond.bodyLength());
    return response;
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return response;
  }
}
