package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

/**
 * Something wrong with an object, as a condition reason (CamelCase) and a sentence a person can act
 * on.
 */
public record Problem(String reason, String message) {
  public Problem {
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
  }
}
