package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

/**
 * A condition on the request path: {@code EXACT} equality, a segment-aware {@code PREFIX}, or a
 * {@code REGEX} (RE2) that must match the whole path.
 */
public record PathMatch(Kind kind, String value) {
  /** Declared in precedence order: the graph builder sorts by it. */
  public enum Kind {
    EXACT,
    PREFIX,
    REGEX
  }

  public PathMatch {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (kind != Kind.REGEX && !value.startsWith("/")) {
      throw new IllegalArgumentException("value: " + value + " (expected: a path starting with /)");
    }
  }

  public static PathMatch exact(String value) {
    return new PathMatch(Kind.EXACT, value);
  }

  /** Returns a prefix match; a trailing slash is dropped, since prefixes match whole segments. */
  public static PathMatch prefix(String value) {
    String v =
        value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    return new PathMatch(Kind.PREFIX, v);
  }

  /** Returns a match of the whole path against an RE2 pattern the compiler has validated. */
  public static PathMatch regex(String pattern) {
    return new PathMatch(Kind.REGEX, pattern);
  }
}
