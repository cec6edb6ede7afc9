package dev.gantry.dataplane.pipeline;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The parts of a request line that routing and forwarding need.
 *
 * @param authority the Host header, or the authority of an absolute-form target (which takes
 *     precedence, RFC 9112 §3.2.2); {@code null} when the request names none
 * @param path the path without query string, for route matching
 * @param originForm path and query as sent upstream
 */
record RequestTarget(String authority, String path, String originForm) {

  /** Returns the target of {@code request}. */
  static RequestTarget of(HttpRequest request) {
    String uri = request.uri();
    String authority = request.headers().get(HttpHeaderNames.HOST);
    String originForm = uri;
    int schemeEnd = uri.startsWith("/") ? -1 : uri.indexOf("://");
    if (schemeEnd > 0) {
      int start = schemeEnd + 3;
      int end = start;
      while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
        end++;
      }
      authority = uri.substring(start, end);
      originForm =
          end == uri.length()
              ? "/"
              : uri.charAt(end) == '/' ? uri.substring(end) : "/" + uri.substring(end);
    }
    int query = indexOfQuery(originForm);
    return new RequestTarget(
        authority, query < 0 ? originForm : originForm.substring(0, query), originForm);
  }

  /**
   * Returns the origin form ({@code path[?query]}) of {@code uri} with its path normalised by
   * {@link PathNormalizer} and its query unchanged, or {@code null} if the path must be refused. An
   * absolute-form target loses its scheme and authority (the caller has checked they agree with
   * Host).
   */
  static String normalizedOriginForm(String uri) {
    String originForm = uri;
    String authority = RequestValidator.absoluteAuthority(uri);
    if (authority != null) {
      int pathStart = uri.indexOf("://") + 3 + authority.length();
      originForm = uri.substring(pathStart);
      if (originForm.isEmpty() || originForm.charAt(0) == '?') {
        originForm = "/" + originForm;
      }
    }
    int query = originForm.indexOf('?');
    String path = PathNormalizer.normalize(query < 0 ? originForm : originForm.substring(0, query));
    if (path == null) {
      return null;
    }
    return query < 0 ? path : path + originForm.substring(query);
  }

  private static int indexOfQuery(String target) {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return -1;
  }
}
