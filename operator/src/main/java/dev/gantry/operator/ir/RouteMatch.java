package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Everything a request must meet to select a route (all conditions ANDed): a path, and optionally
 * headers, query parameters and a method. Headers and query parameters are kept sorted, so that
 * equal conditions give equal matches (the graph builder settles claims on equal matches).
 *
 * @param headers header names in lower case
 * @param method an upper-case method token, or empty for any method
 */
public record RouteMatch(
    PathMatch path,
    List<ValueMatch> headers,
    List<ValueMatch> queryParams,
    Optional<String> method) {

  public RouteMatch {
    requireNonNull(path, "path");
    headers = requireNonNull(headers, "headers").stream().sorted().toList();
    queryParams = requireNonNull(queryParams, "queryParams").stream().sorted().toList();
    requireNonNull(method, "method");
  }

  /** Returns a match on the path alone. */
  public static RouteMatch of(PathMatch path) {
    return new RouteMatch(path, List.of(), List.of(), Optional.empty());
  }
}
