package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

/**
 * A new path for a redirect or rewrite: the {@code FULL} path, a replacement for the matched {@code
 * PREFIX}, or, when the RE2 {@code pattern} matches the start of the path, the {@code REGEX}
 * substitution {@code value} with {@code $1}..{@code $9} naming its groups.
 *
 * @param pattern the RE2 pattern of a {@code REGEX} modifier; empty for the others
 */
public record PathModifier(Kind kind, String value, String pattern) {
  public enum Kind {
    FULL,
    PREFIX,
    REGEX
  }

  public PathModifier {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    requireNonNull(pattern, "pattern");
    if (!value.startsWith("/")) {
      throw new IllegalArgumentException("value: " + value + " (expected: a path starting with /)");
    }
    if ((kind == Kind.REGEX) == pattern.isEmpty()) {
      throw new IllegalArgumentException(
          "pattern: \"" + pattern + "\" (expected: one exactly for a REGEX modifier)");
    }
  }

  /** A {@code FULL} or {@code PREFIX} modifier. */
  public PathModifier(Kind kind, String value) {
    this(kind, value, "");
  }
}
