package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One route of a virtual host: a path match and what to do on a match. Immutable; safe from any
 * thread.
 *
 * @param name {@code <kind>/<namespace>/<name>/rule-<i>}, for logs
 * @param match the path match
 * @param action forward or respond
 * @param requestTimeout the longest whole exchange with the upstream; {@link Duration#ZERO} for
 *     none
 * @param maxRequestBodyBytes the largest request body accepted (413 above it); 0 for no limit
 */
public record Route(
    String name,
    PathMatch match,
    RouteAction action,
    Duration requestTimeout,
    long maxRequestBodyBytes) {

  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative()) {
      throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: >= 0)");
    }
    if (maxRequestBodyBytes < 0) {
      throw new IllegalArgumentException(
          "maxRequestBodyBytes: " + maxRequestBodyBytes + " (expected: >= 0, 0 for no limit)");
    }
  }
}
