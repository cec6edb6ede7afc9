package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

/** A condition on the request path: {@code EXACT} equality, or a segment-aware {@code PREFIX}. */
public record PathMatch(Kind kind, String value) {
  public enum Kind {
    EXACT,
    PREFIX
  }

  public PathMatch {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (!value.startsWith("/")) {
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
}
