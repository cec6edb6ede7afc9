package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * A condition on one named request value (a header or a query parameter): {@code EXACT} equality or
 * a {@code REGEX} (RE2) that must match the whole value.
 */
public record ValueMatch(String name, Kind kind, String value) implements Comparable<ValueMatch> {
  public enum Kind {
    EXACT,
    REGEX
  }

  private static final Comparator<ValueMatch> ORDER =
      Comparator.comparing(ValueMatch::name)
          .thenComparing(ValueMatch::kind)
          .thenComparing(ValueMatch::value);

  public ValueMatch {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a name)");
    }
  }

  @Override
  public int compareTo(ValueMatch other) {
    return ORDER.compare(this, other);
  }
}
