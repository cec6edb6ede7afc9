package dev.gantry.operator.compile;

import java.util.Set;

/**
 * The reasons of problems with a route's {@code spec.includes}. Such a problem leaves the route
 * accepted and its own rules served; only the include concerned is not followed.
 */
public final class IncludeProblems {
  /** The included ProxyRoute does not exist. */
  public static final String NOT_FOUND = "IncludeNotFound";

  /** The included ProxyRoute does not have {@code spec.includable: true}. */
  public static final String NOT_INCLUDABLE = "NotIncludable";

  /** The included ProxyRoute includes, directly or not, the route that includes it. */
  public static final String CYCLE = "IncludeCycle";

  /** The include is deeper than {@link ProxyRouteProcessor#MAX_INCLUDE_DEPTH}. */
  public static final String TOO_DEEP = "IncludeTooDeep";

  /** An includable route that no route includes: it is not served. */
  public static final String ORPHANED = "Orphaned";

  private static final Set<String> REASONS = Set.of(NOT_FOUND, NOT_INCLUDABLE, CYCLE, TOO_DEEP);

  private IncludeProblems() {}

  /** Returns whether {@code problem} is about an include (and not a backend or certificate). */
  public static boolean isIncludeProblem(Problem problem) {
    return REASONS.contains(problem.reason());
  }
}
