package dev.gantry.dataplane.routing;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads one parameter from a request target's query string without parsing the rest: the query is
 * scanned only when a route asks for a parameter, and only the parameter found is decoded.
 */
final class QueryString {

  private QueryString() {}

  /**
   * Returns the percent-decoded value of the first parameter named {@code name} (compared after
   * decoding) in {@code target}'s query string, {@code ""} for a parameter without {@code =}, or
   * {@code null} when there is none. Allocates only for parameters whose name needs decoding and
   * for the value returned.
   *
   * @param target the request target in origin form, {@code path?query}
   */
  static String firstValue(String target, String name) {
    int start = target.indexOf('?');
    if (start < 0) {
      return null;
    }
    int end = target.indexOf('#', start);
    end = end < 0 ? target.length() : end;
    for (int from = start + 1; from < end; ) {
      int amp = target.indexOf('&', from);
      int pairEnd = amp < 0 || amp > end ? end : amp;
      int eq = target.indexOf('=', from);
      int nameEnd = eq < 0 || eq > pairEnd ? pairEnd : eq;
      if (nameEquals(target, from, nameEnd, name)) {
        return nameEnd == pairEnd ? "" : decode(target.substring(nameEnd + 1, pairEnd));
      }
      from = pairEnd + 1;
    }
    return null;
  }

  private static boolean nameEquals(String target, int from, int to, String name) {
    boolean encoded = false;
    for (int i = from; i < to; i++) {
      char c = target.charAt(i);
      encoded |= c == '%' || c == '+';
    }
    if (!encoded) {
      return to - from == name.length() && target.regionMatches(from, name, 0, name.length());
    }
    return name.equals(decode(target.substring(from, to)));
  }

  private static String decode(String component) {
    return QueryStringDecoder.decodeComponent(component, StandardCharsets.UTF_8);
  }
}
