package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Everything a request must meet to select a route; every condition must hold. Immutable; safe from
 * any thread.
 *
 * <p>Evaluated cheapest first: method, path, headers, query. Exact conditions allocate nothing; a
 * regular expression allocates one matcher; the query string is scanned only when a query condition
 * is reached.
 *
 * @param path the path condition
 * @param method an upper-case method token, or {@code ""} for any method
 * @param headers header conditions, tested against the first value of each header
 * @param queryParams query parameter conditions, tested against the first occurrence
 */
public record RouteMatch(
    PathMatch path,
    String method,
    List<HeaderCondition> headers,
    List<QueryCondition> queryParams) {

  public RouteMatch {
    requireNonNull(path, "path");
    requireNonNull(method, "method");
    headers = List.copyOf(requireNonNull(headers, "headers"));
    queryParams = List.copyOf(requireNonNull(queryParams, "queryParams"));
  }

  /** Returns a match on the path alone. */
  public static RouteMatch of(PathMatch path) {
    return new RouteMatch(path, "", List.of(), List.of());
  }

  /**
   * Returns whether the request matches.
   *
   * @param requestPath the path without query string
   * @param target the request target in origin form ({@code path?query}), for query conditions
   */
  public boolean matches(
      String requestPath, HttpMethod requestMethod, HttpHeaders requestHeaders, String target) {
    if (!method.isEmpty() && !method.equals(requestMethod.name())) {
      return false;
    }
    if (!path.matches(requestPath)) {
      return false;
    }
    for (int i = 0, n = headers.size(); i < n; i++) {
      HeaderCondition h = headers.get(i);
      String value = requestHeaders.get(h.name());
      if (value == null || !h.value().matches(value)) {
        return false;
      }
    }
    for (int i = 0, n = queryParams.size(); i < n; i++) {
      QueryCondition q = queryParams.get(i);
      String value = QueryString.firstValue(target, q.name());
      if (value == null || !q.value().matches(value)) {
        return false;
      }
    }
    return true;
  }

  /** A condition on a request header; an absent header never matches. */
  public record HeaderCondition(AsciiString name, ValueMatch value) {
    public HeaderCondition {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("header name: \"\" (expected: a name)");
      }
    }
  }

  /** A condition on a query parameter; an absent parameter never matches. */
  public record QueryCondition(String name, ValueMatch value) {
    public QueryCondition {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("query parameter name: \"\" (expected: a name)");
      }
    }
  }
}
