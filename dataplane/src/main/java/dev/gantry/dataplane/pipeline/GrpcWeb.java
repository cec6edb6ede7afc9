package dev.gantry.dataplane.pipeline;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * gRPC-Web (PROTOCOL-WEB.md) as the proxy translates it: a browser's {@code application/grpc-web}
 * call becomes a gRPC call to an HTTP/2 backend, and the backend's response a gRPC-Web response —
 * the same length-prefixed messages, with the trailers as one last message whose flag byte has the
 * high bit set; in the text mode everything is base64 both ways. Stateless; the streaming parts are
 * {@link GrpcWebTextDecoder} (request) and {@link GrpcWebResponseEncoder} (response).
 */
final class GrpcWeb {

  private static final String WEB = "application/grpc-web";
  private static final String WEB_TEXT = "application/grpc-web-text";

  private GrpcWeb() {}

  /** How a gRPC-Web call's bodies are encoded. */
  enum Mode {
    /** {@code application/grpc-web[+proto]}: the gRPC framing as is. */
    BINARY,
    /** {@code application/grpc-web-text[+proto]}: the gRPC framing in base64. */
    TEXT
  }

  /** Returns the mode of a request with these headers, or null when it is not a gRPC-Web call. */
  static Mode mode(HttpHeaders headers) {
    return mode(headers.get(HttpHeaderNames.CONTENT_TYPE));
  }

  /** As {@link #mode(HttpHeaders)}, for the content type itself ({@code null}: none). */
  static Mode mode(String type) {
    if (type == null || !type.regionMatches(true, 0, WEB, 0, WEB.length())) {
      return null;
    }
    if (type.regionMatches(true, 0, WEB_TEXT, 0, WEB_TEXT.length())) {
      return Grpc.codecSuffixAt(type, WEB_TEXT.length()) ? Mode.TEXT : null;
    }
    return Grpc.codecSuffixAt(type, WEB.length()) ? Mode.BINARY : null;
  }

  /**
   * Turns {@code upstream}, a gRPC-Web request about to go to an HTTP/2 backend, into the gRPC
   * request the backend expects: {@code application/grpc} with the client's codec suffix, and no
   * Content-Length in the text mode (the decoded body is shorter). The body is decoded on the way
   * by {@link GrpcWebTextDecoder} in that mode.
   */
  static void toGrpcRequest(HttpRequest upstream, Mode mode) {
    HttpHeaders headers = upstream.headers();
    String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
    int prefix = mode == Mode.TEXT ? WEB_TEXT.length() : WEB.length();
    headers.set(HttpHeaderNames.CONTENT_TYPE, "application/grpc" + type.substring(prefix));
    if (mode == Mode.TEXT) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    }
  }

  /**
   * Returns the gRPC-Web content type of a response in {@code mode} for the backend's {@code
   * grpcType} ({@code application/grpc[+codec]}), keeping the codec suffix; {@code
   * application/grpc-web+proto} when the backend sent none.
   */
  static String webContentType(String grpcType, Mode mode) {
    String base = mode == Mode.TEXT ? WEB_TEXT : WEB;
    if (grpcType != null
        && grpcType.regionMatches(true, 0, "application/grpc", 0, 16)
        && grpcType.length() > 16
        && grpcType.charAt(16) == '+') {
      return base + grpcType.substring(16);
    }
    return base + "+proto";
  }
}
