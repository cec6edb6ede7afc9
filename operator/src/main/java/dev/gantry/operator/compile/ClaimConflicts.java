package dev.gantry.operator.compile;

/**
 * The reason of a claim on a host and match that an older object holds: the claim is not served,
 * and the rest of the object is.
 */
public final class ClaimConflicts {
  public static final String CONFLICT = "Conflict";

  private ClaimConflicts() {}

  /** Returns whether {@code problem} is a claim lost to an older object. */
  public static boolean isConflict(Problem problem) {
    return CONFLICT.equals(problem.reason());
  }
}
