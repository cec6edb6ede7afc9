package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;

/**
 * Decides whether a request path (without query) selects a route. Immutable; safe from any thread.
 */
public sealed interface PathMatch {

  /**
   * Returns whether {@code path}, the request path without query string, matches. Exact and prefix
   * matches allocate nothing.
   */
  boolean matches(String path);

  /** Matches one path exactly, e.g. {@code /healthz}. */
  record Exact(String path) implements PathMatch {

    public Exact {
      checkPath(path);
    }

    @Override
    public boolean matches(String requestPath) {
      return path.equals(requestPath);
    }
  }

  /**
   * Matches a path and everything below it, segment by segment: {@code /foo} matches {@code /foo}
   * and {@code /foo/bar}, never {@code /foobar}; {@code /} matches every path. A trailing slash in
   * the prefix is ignored ({@code /foo/} behaves as {@code /foo}).
   */
  record Prefix(String prefix) implements PathMatch {

    public Prefix {
      checkPath(prefix);
      if (prefix.length() > 1 && prefix.endsWith("/")) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
    }

    @Override
    public boolean matches(String path) {
      int n = prefix.length();
      if (n == 1) {
        return true;
      }
      return path.startsWith(prefix) && (path.length() == n || path.charAt(n) == '/');
    }
  }

  /**
   * Matches paths that an RE2 pattern matches whole. Linear in the path's length whatever the
   * pattern; allocates one matcher per evaluation.
   */
  record Regex(Pattern pattern) implements PathMatch {

    public Regex {
      requireNonNull(pattern, "pattern");
    }

    /** Compiles {@code pattern}; throws IllegalArgumentException naming it when it is invalid. */
    public static Regex compile(String pattern) {
      return new Regex(Patterns.compile(pattern));
    }

    @Override
    public boolean matches(String path) {
      return pattern.matches(path);
    }
  }

  private static void checkPath(String path) {
    requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: \"" + path + "\" (expected: starts with /)");
    }
  }
}
