package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;

/** Decides whether a header or query parameter value matches. Immutable; safe from any thread. */
public sealed interface ValueMatch {

  /** Returns whether {@code value} (never {@code null}) matches. */
  boolean matches(String value);

  /** Matches one value exactly, case-sensitively. Allocates nothing. */
  record Exact(String value) implements ValueMatch {

    public Exact {
      requireNonNull(value, "value");
    }

    @Override
    public boolean matches(String candidate) {
      return value.equals(candidate);
    }
  }

  /**
   * Matches values that an RE2 pattern matches whole. Linear in the value's length whatever the
   * pattern (no backtracking); allocates one matcher per evaluation.
   */
  record Regex(Pattern pattern) implements ValueMatch {

    public Regex {
      requireNonNull(pattern, "pattern");
    }

    /** Compiles {@code pattern}; throws IllegalArgumentException naming it when it is invalid. */
    public static Regex compile(String pattern) {
      return new Regex(Patterns.compile(pattern));
    }

    @Override
    public boolean matches(String candidate) {
      return pattern.matches(candidate);
    }
  }
}
