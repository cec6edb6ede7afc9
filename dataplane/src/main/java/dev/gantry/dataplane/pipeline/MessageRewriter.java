package dev.gantry.dataplane.pipeline;

import io.netty.handler.codec.http.DefaultHttpHeaders;
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
import java.util.List;

/**
 * Re-serialises a request for the upstream and a response for the client from the parsed model:
 * copies the end-to-end headers, drops the hop-by-hop ones (RFC 9110 §7.6.1), re-derives the
 * message framing and adds the X-Forwarded-* headers. Pure functions; never touches message bodies.
 */
final class MessageRewriter {

  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  private static final List<AsciiString> HOP_BY_HOP =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.UPGRADE,
          PROXY_CONNECTION);

  private MessageRewriter() {}

  /**
   * Returns the HTTP/1.1 request to send upstream for {@code request}.
   *
   * @param clientAddress the client's IP address, appended to X-Forwarded-For; {@code null} when
   *     unknown
   * @param scheme the scheme the client used, for X-Forwarded-Proto
   */
  static HttpRequest upstreamRequest(
      HttpRequest request, RequestTarget target, String clientAddress, String scheme) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(request);
    HttpHeaders headers = endToEnd(request.headers());
    // HTTP/2: the stream codec reports the stream id and :scheme as x-http2-* headers; they are
    // about the client's connection, and a client must not be able to forge them over HTTP/1.1.
    for (HttpConversionUtil.ExtensionHeaderNames name :
        HttpConversionUtil.ExtensionHeaderNames.values()) {
      headers.remove(name.text());
    }
    if (chunked) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (target.authority() != null) {
      headers.set(HttpHeaderNames.HOST, target.authority());
      headers.set(X_FORWARDED_HOST, target.authority());
    }
    if (clientAddress != null) {
      List<String> forwarded = headers.getAll(X_FORWARDED_FOR);
      headers.set(
          X_FORWARDED_FOR,
          forwarded.isEmpty()
              ? clientAddress
              : String.join(", ", forwarded) + ", " + clientAddress);
    }
    headers.set(X_FORWARDED_PROTO, scheme);
    return new DefaultHttpRequest(
        HttpVersion.HTTP_1_1, request.method(), target.originForm(), headers);
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
    HttpHeaders headers = endToEnd(response.headers());
    if (!hasLength) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      if (mayHaveBody(response.status().code()) && clientVersion.isKeepAliveDefault()) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    }
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), headers);
  }

  /**
   * Returns a copy of {@code source} without hop-by-hop headers, including those named by
   * Connection.
   */
  static HttpHeaders endToEnd(HttpHeaders source) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(source);
    for (String connection : source.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()) {
          headers.remove(name);
        }
      }
    }
    for (AsciiString name : HOP_BY_HOP) {
      headers.remove(name);
    }
    return headers;
  }

  private static boolean mayHaveBody(int status) {
    return status >= 200 && status != 204 && status != 304;
  }
}
