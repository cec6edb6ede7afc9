package dev.gantry.dataplane.routing;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** Compiles the RE2 patterns of a snapshot, turning a syntax error into a NACK-able message. */
final class Patterns {

  private Patterns() {}

  /**
   * Returns {@code pattern} compiled with RE2 semantics.
   *
   * @throws IllegalArgumentException when RE2 cannot compile it; the message names the pattern
   */
  static Pattern compile(String pattern) {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "pattern \"" + pattern + "\" is not valid RE2: " + e.getDescription(), e);
    }
  }
}
