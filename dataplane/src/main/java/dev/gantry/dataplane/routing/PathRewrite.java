package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

/** Computes a new request path for a redirect or rewrite. Immutable; safe from any thread. */
public sealed interface PathRewrite {

  /** Returns the new path for {@code path} (without query), which the route matched. */
  String apply(String path);

  /** Replaces the whole path. */
  record Full(String path) implements PathRewrite {
    public Full {
      requireNonNull(path, "path");
    }

    @Override
    public String apply(String requestPath) {
      return path;
    }
  }

  /**
   * Replaces the part of the path that a segment-aware prefix matched, whole segments: {@code /foo}
   * replaced by {@code /bar} turns {@code /foo/x} into {@code /bar/x}; replaced by {@code /} it
   * turns {@code /foo/x} into {@code /x} and {@code /foo} into {@code /}.
   *
   * @param matched the route's prefix, without trailing slash ({@code /} for every path)
   * @param replacement what replaces it
   */
  record Prefix(String matched, String replacement) implements PathRewrite {
    public Prefix {
      requireNonNull(matched, "matched");
      requireNonNull(replacement, "replacement");
    }

    @Override
    public String apply(String path) {
      String rest =
          matched.equals("/") ? path : path.substring(Math.min(matched.length(), path.length()));
      // rest is "" or starts with "/"
      String base =
          replacement.endsWith("/") && !rest.isEmpty()
              ? replacement.substring(0, replacement.length() - 1)
              : replacement;
      String result = base + rest;
      return result.isEmpty() ? "/" : result;
    }
  }

  /**
   * When {@code pattern} matches the start of the path, the path becomes {@code substitution} with
   * {@code $1}..{@code $9} replaced by the pattern's groups (empty when a group did not match);
   * otherwise the path is left alone.
   */
  record Regex(com.google.re2j.Pattern pattern, String substitution) implements PathRewrite {
    public Regex {
      requireNonNull(pattern, "pattern");
      requireNonNull(substitution, "substitution");
    }

    @Override
    public String apply(String path) {
      com.google.re2j.Matcher m = pattern.matcher(path);
      if (!m.lookingAt()) {
        return path;
      }
      StringBuilder out = new StringBuilder(substitution.length() + path.length());
      for (int i = 0; i < substitution.length(); i++) {
        char c = substitution.charAt(i);
        if (c == '$'
            && i + 1 < substitution.length()
            && Character.isDigit(substitution.charAt(i + 1))) {
          int group = substitution.charAt(++i) - '0';
          if (group <= m.groupCount() && m.group(group) != null) {
            out.append(m.group(group));
          }
        } else {
          out.append(c);
        }
      }
      String result = out.toString();
      return result.startsWith("/") ? result : "/" + result;
    }
  }
}
