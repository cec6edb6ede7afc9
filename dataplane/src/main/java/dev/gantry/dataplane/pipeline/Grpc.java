package dev.gantry.dataplane.pipeline;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What the proxy must know of gRPC (the PROTOCOL-HTTP2 spec): which requests are gRPC calls, the
 * deadline a call carries, and how a response the proxy makes itself is told to a gRPC client — as
 * a trailers-only response whose {@code grpc-status} says what happened, never as an HTML or text
 * page the client cannot read. Stateless.
 */
final class Grpc {

  static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");

  /** The longest grpc-timeout value: at most 8 digits and a unit. */
  private static final int MAX_TIMEOUT_LENGTH = 9;

  private Grpc() {}

  /**
   * Returns whether a request with these headers is a gRPC call: its content type is {@code
   * application/grpc} or {@code application/grpc+<codec>} (not gRPC-Web, whose clients read
   * ordinary HTTP statuses).
   */
  static boolean isCall(HttpHeaders headers) {
    return isCall(headers.get(HttpHeaderNames.CONTENT_TYPE));
  }

  /** As {@link #isCall(HttpHeaders)}, for the content type itself ({@code null}: none). */
  static boolean isCall(String contentType) {
    return contentType != null
        && contentType.regionMatches(true, 0, "application/grpc", 0, 16)
        && codecSuffixAt(contentType, 16);
  }

  /**
   * Returns whether {@code contentType} ends at {@code i} or goes on with {@code +codec} or
   * parameters, i.e. whether its media type ends there.
   */
  static boolean codecSuffixAt(String contentType, int i) {
    return contentType.length() == i
        || contentType.charAt(i) == '+'
        || contentType.charAt(i) == ';';
  }

  /**
   * Returns the call's deadline from its {@code grpc-timeout} header (an integer of up to 8 digits
   * and a unit: H, M, S, m, u or n), or null when it has none or it does not parse (then the call
   * is treated as having none, as gRPC servers do).
   */
  static Duration timeout(HttpHeaders headers) {
    String value = headers.get(GRPC_TIMEOUT);
    if (value == null || value.length() < 2 || value.length() > MAX_TIMEOUT_LENGTH) {
      return null;
    }
    long amount = 0;
    for (int i = 0; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      amount = amount * 10 + (c - '0');
    }
    return switch (value.charAt(value.length() - 1)) {
      case 'H' -> Duration.ofHours(amount);
      case 'M' -> Duration.ofMinutes(amount);
      case 'S' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMillis(amount);
      case 'u' -> Duration.ofNanos(amount * 1_000);
      case 'n' -> Duration.ofNanos(amount);
      default -> null;
    };
  }

  /**
   * Returns {@code local}, a response the proxy made, as a gRPC (or gRPC-Web) client must get it:
   * status 200, the call's content type ({@code application/grpc}, or gRPC-Web's), no body, and the
   * outcome in {@code grpc-status} and {@code grpc-message} (the text the body had) — a
   * trailers-only response, which HTTP/2 sends as one HEADERS frame that ends the stream. Other
   * headers the proxy set (e.g. X-Gantry-Overloaded) are kept. Releases {@code local}.
   */
  static FullHttpResponse trailersOnly(FullHttpResponse local, CharSequence contentType) {
    try {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              local.protocolVersion(), HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
      HttpHeaders headers = response.headers();
      headers.set(local.headers());
      headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
      headers.setInt(GRPC_STATUS, status(local.status().code()));
      String message = local.content().toString(StandardCharsets.UTF_8).strip();
      if (!message.isEmpty()) {
        headers.set(GRPC_MESSAGE, percentEncode(message));
      }
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      return response;
    } finally {
      local.release();
    }
  }

  /**
   * Returns the gRPC status code for an HTTP status the proxy answers with: gRPC's own mapping
   * (doc/http-grpc-status-mapping.md), except that a 504 — always a timeout of the proxy's — is
   * DEADLINE_EXCEEDED, and 413 (a body over the route's limit) RESOURCE_EXHAUSTED.
   */
  static int status(int http) {
    return switch (http) {
      case 400 -> 13; // INTERNAL
      case 401 -> 16; // UNAUTHENTICATED
      case 403 -> 7; // PERMISSION_DENIED
      case 404 -> 12; // UNIMPLEMENTED
      case 413 -> 8; // RESOURCE_EXHAUSTED
      case 429, 421, 502, 503 -> 14; // UNAVAILABLE: the client may try again
      case 504 -> 4; // DEADLINE_EXCEEDED
      default -> 2; // UNKNOWN
    };
  }

  /**
   * Percent-encodes what grpc-message may not carry as is: {@code %} and every byte of the UTF-8
   * form outside printable ASCII.
   */
  static String percentEncode(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder encoded = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c >= 0x20 && c <= 0x7E && c != '%') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        encoded.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return encoded.toString();
  }
}
