package dev.gantry.dataplane.pipeline;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-serialises a request for the upstream and a response for the client from the parsed model:
 * copies the end-to-end headers, drops the hop-by-hop ones (RFC 9110 §7.6.1), re-derives the
 * message framing and sets the forwarding headers. Pure functions apart from drawing request ids;
 * never touches message bodies.
 *
 * <p>Forwarding headers follow ingress-nginx (with {@code use-forwarded-headers} on for trusted
 * peers only). From an untrusted peer, X-Forwarded-For becomes the peer's address alone,
 * X-Forwarded-Proto and -Host are what this hop saw, and X-Request-Id is generated: nothing the
 * client claims survives. From a trusted proxy, the peer is appended to its X-Forwarded-For chain,
 * and its X-Forwarded-Proto, -Host and X-Request-Id are kept (each set here when absent).
 *
 * <p>X-Forwarded-Client-Cert is removed from every request, from trusted peers too: only this hop
 * verified a client certificate, and it sets the header when it did.
 */
final class MessageRewriter {

  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  static final AsciiString X_FORWARDED_CLIENT_CERT = AsciiString.cached("x-forwarded-client-cert");
  private static final AsciiString HTTP2_SETTINGS = AsciiString.cached("http2-settings");
  private static final int MAX_REQUEST_ID_LENGTH = 200;

  private static final HttpConversionUtil.ExtensionHeaderNames[] HTTP2_EXTENSIONS =
      HttpConversionUtil.ExtensionHeaderNames.values();

  /** Builds the copies: names and values were validated where they came from. */
  private static final DefaultHttpHeadersFactory COPY =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private static final List<AsciiString> HOP_BY_HOP =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.UPGRADE,
          HTTP2_SETTINGS);

  /**
   * Headers a Connection token never removes: the framing and Host (re-derived here) and the
   * forwarding headers (the proxy's own).
   */
  private static final Set<String> PROTECTED =
      Set.of(
          "host",
          "content-length",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-forwarded-host",
          "x-request-id");

  private MessageRewriter() {}

  /** Returns the HTTP/1.1 request to send upstream for {@code request}. */
  static HttpRequest upstreamRequest(
      HttpRequest request, RequestTarget target, Forwarding forwarding) {
    HttpHeaders source = request.headers();
    // Framing comes from the parsed request, never from whatever header survived the copy.
    HttpHeaders headers = endToEnd(source, true);
    if (HttpUtil.isTransferEncodingChunked(request)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    } else if (source.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, source.get(HttpHeaderNames.CONTENT_LENGTH));
    }
    if (target.authority() != null) {
      headers.set(HttpHeaderNames.HOST, target.authority());
    }
    if (forwarding.websocketRoute()
        && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(source.get(HttpHeaderNames.UPGRADE))
        && HttpUtil.isKeepAlive(request)) {
      // The hook for WebSocket routes; h2c and any other protocol are never forwarded.
      headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    setForwardingHeaders(source, headers, target, forwarding);
    if (forwarding.clientCertificate() != null) {
      headers.set(X_FORWARDED_CLIENT_CERT, forwarding.clientCertificate());
    }
    return new DefaultHttpRequest(
        HttpVersion.HTTP_1_1, request.method(), target.originForm(), headers);
  }

  private static void setForwardingHeaders(
      HttpHeaders source, HttpHeaders headers, RequestTarget target, Forwarding forwarding) {
    boolean trusted = forwarding.trustedPeer();
    String peer = forwarding.peerAddress();
    List<String> chain = trusted ? source.getAll(X_FORWARDED_FOR) : List.of();
    if (peer == null && chain.isEmpty()) {
      headers.remove(X_FORWARDED_FOR);
    } else {
      List<String> hops = new ArrayList<>(chain);
      if (peer != null) {
        hops.add(peer);
      }
      headers.set(X_FORWARDED_FOR, String.join(", ", hops));
    }
    String proto = trusted ? source.get(X_FORWARDED_PROTO) : null;
    headers.set(X_FORWARDED_PROTO, proto != null ? proto : forwarding.scheme());
    String host = trusted ? source.get(X_FORWARDED_HOST) : null;
    if (host == null) {
      host = target.authority();
    }
    if (host == null) {
      headers.remove(X_FORWARDED_HOST);
    } else {
      headers.set(X_FORWARDED_HOST, host);
    }
    String requestId = trusted ? source.get(X_REQUEST_ID) : null;
    headers.set(X_REQUEST_ID, isRequestId(requestId) ? requestId : RequestIds.generate());
  }

  private static boolean isRequestId(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_REQUEST_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the response to send the client for the upstream's {@code response}. A body without a
   * Content-Length is sent chunked to HTTP/1.1 clients, and delimited by closing the connection for
   * HTTP/1.0 ones (the keep-alive handler closes it).
   */
  static HttpResponse downstreamResponse(HttpResponse response, HttpVersion clientVersion) {
    boolean hasLength =
        response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
            && !HttpUtil.isTransferEncodingChunked(response);
    HttpHeaders headers = endToEnd(response.headers(), false);
    if (!hasLength) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      if (mayHaveBody(response.status().code()) && clientVersion.isKeepAliveDefault()) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    }
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), headers);
  }

  /**
   * Returns a copy of {@code source} without hop-by-hop headers: the fixed list, every {@code
   * Proxy-*} header, and those named by Connection (except {@link #PROTECTED} ones); for a request
   * also without Content-Length, X-Forwarded-Client-Cert and the {@code x-http2-*} names (HTTP/2:
   * the stream codec reports the stream id and :scheme that way; they are about the client's
   * connection, and a client must not be able to forge them over HTTP/1.1).
   *
   * <p>One pass, into headers that do not validate again: every name and value comes from headers
   * that a strict decoder already validated (and route filters' from a validated snapshot).
   */
  private static HttpHeaders endToEnd(HttpHeaders source, boolean request) {
    HttpHeaders headers = COPY.newHeaders();
    List<String> named = connectionTokens(source);
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = source.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      CharSequence name = header.getKey();
      if (isHopByHop(name)
          || (request && isRequestOnlyDropped(name))
          || (named != null && isNamed(named, name))) {
        continue;
      }
      headers.add(name, header.getValue());
    }
    return headers;
  }

  /**
   * Returns the header names Connection lists that the copy must drop besides the fixed hop-by-hop
   * ones, or null for none: the usual {@code keep-alive} and {@code close} add nothing, so most
   * messages get null and no per-header check.
   */
  private static List<String> connectionTokens(HttpHeaders source) {
    if (!source.contains(HttpHeaderNames.CONNECTION)) {
      return null;
    }
    List<String> named = null;
    for (Iterator<String> values = source.valueStringIterator(HttpHeaderNames.CONNECTION);
        values.hasNext(); ) {
      String connection = values.next();
      if (HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection)
          || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(connection)) {
        continue; // the usual value, which names no other header
      }
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (name.isEmpty()
            || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(name)
            || isHopByHop(name)
            || PROTECTED.contains(AsciiString.of(name).toLowerCase().toString())) {
          continue;
        }
        if (named == null) {
          named = new ArrayList<>(2);
        }
        named.add(name);
      }
    }
    return named;
  }

  private static boolean isNamed(List<String> named, CharSequence name) {
    for (int i = 0; i < named.size(); i++) {
      if (AsciiString.contentEqualsIgnoreCase(named.get(i), name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHopByHop(CharSequence name) {
    for (AsciiString hop : HOP_BY_HOP) {
      if (hop.contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return name.length() >= 6 && AsciiString.regionMatches(name, true, 0, "proxy-", 0, 6);
  }

  private static boolean isRequestOnlyDropped(CharSequence name) {
    if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
        || X_FORWARDED_CLIENT_CERT.contentEqualsIgnoreCase(name)) {
      return true;
    }
    if (name.length() < 8 || !AsciiString.regionMatches(name, true, 0, "x-http2-", 0, 8)) {
      return false;
    }
    for (HttpConversionUtil.ExtensionHeaderNames ext : HTTP2_EXTENSIONS) {
      if (ext.text().contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mayHaveBody(int status) {
    return status >= 200 && status != 204 && status != 304;
  }
}
