package dev.gantry.dataplane.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalises request paths before routing, so that a route matches the path a backend will act on
 * and the backend is sent exactly the path that was matched. Pure functions.
 *
 * <ul>
 *   <li>Percent-encoded unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) are decoded; every
 *       other escape is kept, its hex digits upper-cased.
 *   <li>Encoded {@code /}, {@code \} and NUL ({@code %2F}, {@code %5C}, {@code %00}) are refused:
 *       backends disagree on whether they separate segments or end strings.
 *   <li>Control characters, space, DEL, a raw {@code \}, {@code #} and malformed escapes are
 *       refused.
 *   <li>Runs of slashes merge into one; {@code .} and {@code ..} segments are removed as in RFC
 *       3986 §5.2.4 (after decoding, so {@code %2e%2e} counts as {@code ..}); a path that would
 *       climb above the root is refused rather than clamped.
 *   <li>A trailing slash is kept (also the one a final {@code .} or {@code ..} implies).
 * </ul>
 */
final class PathNormalizer {

  private PathNormalizer() {}

  /**
   * Returns the normal form of {@code path} (which starts with {@code /} and has no query), or
   * {@code null} if it must be refused.
   */
  static String normalize(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    String decoded = decodeUnreserved(path);
    if (decoded == null) {
      return null;
    }
    List<String> segments = new ArrayList<>();
    boolean trailingSlash = false;
    int start = 1;
    while (start <= decoded.length()) {
      int end = decoded.indexOf('/', start);
      if (end < 0) {
        end = decoded.length();
      }
      String segment = decoded.substring(start, end);
      boolean last = end == decoded.length();
      trailingSlash = last && (segment.isEmpty() || segment.equals(".") || segment.equals(".."));
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          return null; // climbs above the root
        }
        segments.removeLast();
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
      start = end + 1;
    }
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder(decoded.length());
    for (String segment : segments) {
      out.append('/').append(segment);
    }
    if (trailingSlash) {
      out.append('/');
    }
    return out.toString();
  }

  /** Returns {@code path} with unreserved escapes decoded, or null if it must be refused. */
  private static String decodeUnreserved(String path) {
    StringBuilder out = null;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c == 0x7F || c == '\\' || c == '#') {
        return null;
      }
      if (c != '%') {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (i + 2 >= path.length()) {
        return null;
      }
      int hi = Character.digit(path.charAt(i + 1), 16);
      int lo = Character.digit(path.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      int value = hi * 16 + lo;
      if (value == '/' || value == '\\' || value == 0) {
        return null;
      }
      if (out == null) {
        out = new StringBuilder(path.length()).append(path, 0, i);
      }
      if (isUnreserved(value)) {
        out.append((char) value);
      } else {
        out.append('%').append(Character.toUpperCase(path.charAt(i + 1)));
        out.append(Character.toUpperCase(path.charAt(i + 2)));
      }
      i += 2;
    }
    return out == null ? path : out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
