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
}
