package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

/** One match and its action, with the object (and rule index) it came from. */
public record Route(String name, RouteMatch match, RouteAction action, ObjectRef source) {
  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(source, "source");
  }
}
