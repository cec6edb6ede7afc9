package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

/**
 * A new path for a redirect or rewrite: the {@code FULL} path, or a replacement for the matched
 * {@code PREFIX}.
 */
public record PathModifier(Kind kind, String value) {
  public enum Kind {
    FULL,
    PREFIX
  }

  public PathModifier {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (!value.startsWith("/")) {
      throw new IllegalArgumentException("value: " + value + " (expected: a path starting with /)");
    }
  }
}
