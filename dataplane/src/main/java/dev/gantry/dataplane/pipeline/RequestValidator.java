package dev.gantry.dataplane.pipeline;

import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import java.util.List;
import java.util.Locale;

/**
 * Checks a decoded request head against RFC 9112 beyond what the decoder enforces, so that the
 * proxy and every backend agree on where each request ends and which host it is for. Pure
 * functions.
 */
final class RequestValidator {

  private static final int MAX_CONTENT_LENGTH_DIGITS = 18; // fits a long

  private RequestValidator() {}

  /** Returns why {@code request} must be refused, or {@code null} if it may be served. */
  static RequestRejection check(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return classify(request.decoderResult().cause());
    }
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1 || version.minorVersion() > 1) {
      return RequestRejection.MALFORMED;
    }
    HttpHeaders headers = request.headers();
    List<String> encodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
    if (!encodings.isEmpty() && !lengths.isEmpty()) {
      return RequestRejection.LENGTH_AND_ENCODING;
    }
    // Exactly one field, exactly "chunked": no lists, no other codings, nothing to disagree on.
    if (!encodings.isEmpty()
        && (encodings.size() > 1 || !"chunked".equalsIgnoreCase(encodings.get(0)))) {
      return RequestRejection.TRANSFER_ENCODING;
    }
    if (!lengths.isEmpty() && (lengths.size() > 1 || !isDecimal(lengths.get(0)))) {
      return RequestRejection.CONTENT_LENGTH;
    }
    return checkHost(request);
  }

  /**
   * Returns the authority a request names in its target, for absolute-form ({@code
   * http://host/path}); {@code null} for origin-form.
   */
  static String absoluteAuthority(String uri) {
    if (uri.startsWith("/")) {
      return null;
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    int start;
    if (lower.startsWith("http://")) {
      start = 7;
    } else if (lower.startsWith("https://")) {
      start = 8;
    } else {
      return null;
    }
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    return uri.substring(start, end);
  }

  private static RequestRejection checkHost(HttpRequest request) {
    String uri = request.uri();
    String authority = absoluteAuthority(uri);
    if (authority == null && !uri.startsWith("/")) {
      return RequestRejection.TARGET_INVALID; // asterisk- and authority-form are not proxied
    }
    if (authority != null && !isAuthority(authority)) {
      return RequestRejection.TARGET_INVALID;
    }
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.isEmpty()) {
      // HTTP/1.0 may omit Host; HTTP/1.1 must send it, even with an absolute-form target.
      return request.protocolVersion().equals(HttpVersion.HTTP_1_0)
          ? null
          : RequestRejection.HOST_MISSING;
    }
    if (hosts.size() > 1 || !isAuthority(hosts.get(0))) {
      return RequestRejection.HOST_INVALID;
    }
    // RFC 9112 §3.2.2 lets the target's authority override Host; a proxy in front of servers that
    // may read the other one must refuse the disagreement instead.
    if (authority != null && !authority.equalsIgnoreCase(hosts.get(0))) {
      return RequestRejection.HOST_INVALID;
    }
    return null;
  }

  /** Returns whether {@code value} is a non-empty host[:port] (reg-name, IPv4 or IP-literal). */
  static boolean isAuthority(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~!$&'()*+,;=:[]%".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDecimal(String value) {
    if (value.isEmpty() || value.length() > MAX_CONTENT_LENGTH_DIGITS) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Returns the rejection for a decoder failure caused by {@code cause}. */
  static RequestRejection classify(Throwable cause) {
    if (cause instanceof RequestRejectedException rejected) {
      return rejected.rejection();
    } else if (cause instanceof TooLongHttpLineException) {
      return RequestRejection.URI_TOO_LONG;
    } else if (cause instanceof TooLongHttpHeaderException) {
      return RequestRejection.HEADERS_TOO_LARGE;
    } else if (cause instanceof ContentLengthNotAllowedException) {
      return RequestRejection.LENGTH_AND_ENCODING;
    } else if (cause instanceof TransferEncodingNotAllowedException) {
      return RequestRejection.TRANSFER_ENCODING;
    }
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("transfer coding") || message.contains("transfer-encoding")) {
      return RequestRejection.TRANSFER_ENCODING;
    } else if (message.contains("content-length")) {
      return RequestRejection.CONTENT_LENGTH;
    }
    return RequestRejection.MALFORMED;
  }
}
