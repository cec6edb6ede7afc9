package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

/**
 * One match, its action and filters, with the object (and rule index) it came from.
 *
 * @param timeouts the rule's timeouts, {@link Timeouts#NONE} when it sets none
 */
public record Route(
    String name,
    RouteMatch match,
    RouteAction action,
    Filters filters,
    Timeouts timeouts,
    RoutePolicy policy,
    ObjectRef source) {
  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(filters, "filters");
    requireNonNull(timeouts, "timeouts");
    requireNonNull(policy, "policy");
    requireNonNull(source, "source");
  }

  /** Returns this route with {@code other} as its match. */
  public Route withMatch(RouteMatch other) {
    return new Route(name, other, action, filters, timeouts, policy, source);
  }

  /** Returns a route without filters or timeouts. */
  public Route(String name, RouteMatch match, RouteAction action, ObjectRef source) {
    this(name, match, action, Filters.NONE, Timeouts.NONE, RoutePolicy.NONE, source);
  }
}
