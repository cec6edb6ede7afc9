package dev.gantry.dataplane.pipeline;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why the edge refused a request before routing it, with the status it answers. Every rejection
 * closes the connection: after a framing doubt, nothing that follows on it can be trusted, and
 * under memory pressure a closed connection frees what it held.
 */
enum RequestRejection {
  /** The decoder could not parse the request line, a header or the chunked framing. */
  MALFORMED(HttpResponseStatus.BAD_REQUEST, "malformed", "malformed request"),
  /** A header line continued with leading whitespace (RFC 9112 §5.2). */
  OBS_FOLD(HttpResponseStatus.BAD_REQUEST, "obs_fold", "obsolete line folding"),
  /** Both Content-Length and Transfer-Encoding (RFC 9112 §6.1). */
  LENGTH_AND_ENCODING(
      HttpResponseStatus.BAD_REQUEST,
      "length_and_encoding",
      "content-length with transfer-encoding"),
  /** A Transfer-Encoding other than exactly one {@code chunked}. */
  TRANSFER_ENCODING(
      HttpResponseStatus.BAD_REQUEST, "transfer_encoding", "unsupported transfer-encoding"),
  /** Repeated, differing or non-decimal Content-Length. */
  CONTENT_LENGTH(HttpResponseStatus.BAD_REQUEST, "content_length", "invalid content-length"),
  /** No Host in an HTTP/1.1 request (RFC 9112 §3.2). */
  HOST_MISSING(HttpResponseStatus.BAD_REQUEST, "host_missing", "missing host"),
  /** Host given more than once, malformed, or different from an absolute-form authority. */
  HOST_INVALID(HttpResponseStatus.BAD_REQUEST, "host_invalid", "invalid host"),
  /** A request target that is not origin- or absolute-form, or a path the normaliser refuses. */
  TARGET_INVALID(HttpResponseStatus.BAD_REQUEST, "target_invalid", "invalid request target"),
  /** The request line exceeds the listener's limit. */
  URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long", "request line too long"),
  /** The header block exceeds the listener's size limit. */
  HEADERS_TOO_LARGE(
      HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
      "headers_too_large",
      "request headers too large"),
  /** More header fields than the listener's count limit. */
  TOO_MANY_HEADERS(
      HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
      "too_many_headers",
      "too many request headers"),
  /** The request headers did not arrive in time (slowloris). */
  HEADERS_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "headers_timeout", "request timeout"),
  /** The request body exceeds the route's limit. */
  BODY_TOO_LARGE(
      HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large", "request body too large"),
  /** The process is short of memory and refuses new requests until it recovers. */
  OVERLOADED(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded", "overloaded, retry later");

  private final HttpResponseStatus status;
  private final String tag;
  private final String message;

  RequestRejection(HttpResponseStatus status, String tag, String message) {
    this.status = status;
    this.tag = tag;
    this.message = message;
  }

  HttpResponseStatus status() {
    return status;
  }

  /** Returns the metric tag value, stable across releases. */
  String tag() {
    return tag;
  }

  /** Returns the short text body answered to the client. */
  String message() {
    return message;
  }
}
