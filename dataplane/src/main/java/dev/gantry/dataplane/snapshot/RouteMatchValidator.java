package dev.gantry.dataplane.snapshot;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gantry.protocol.v1.HeaderMatch;
import dev.gantry.protocol.v1.QueryParamMatch;
import dev.gantry.protocol.v1.RouteMatch;
import java.util.List;

/**
 * Finds what in one route's match this dataplane cannot evaluate: a missing or unknown path kind, a
 * pattern RE2 cannot compile, a condition without a value. Part of {@link SnapshotValidator}; a
 * pure function.
 */
final class RouteMatchValidator {
  private static final java.util.regex.Pattern TOKEN =
      java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");

  private RouteMatchValidator() {}

  /**
   * Adds a sentence per problem in {@code match} to {@code problems}, prefixed with {@code where}.
   */
  static void check(String where, RouteMatch match, List<String> problems) {
    switch (match.getPathCase()) {
      case EXACT -> checkPath(where, match.getExact(), problems);
      case PREFIX -> checkPath(where, match.getPrefix(), problems);
      case REGEX -> checkPattern(where + " path", match.getRegex(), problems);
      case PATH_NOT_SET ->
          problems.add(where + " has no path match (or one this dataplane does not know)");
    }
    for (HeaderMatch h : match.getHeadersList()) {
      String what = where + " header match " + h.getName();
      if (!TOKEN.matcher(h.getName()).matches()) {
        problems.add(where + " matches header \"" + h.getName() + "\" (expected a header name)");
      }
      switch (h.getValueCase()) {
        case EXACT -> {}
        case REGEX -> checkPattern(what, h.getRegex(), problems);
        case VALUE_NOT_SET ->
            problems.add(what + " has no value match (or one this dataplane does not know)");
      }
    }
    for (QueryParamMatch q : match.getQueryParamsList()) {
      String what = where + " query parameter match " + q.getName();
      if (q.getName().isEmpty()) {
        problems.add(where + " matches a query parameter without a name");
      }
      switch (q.getValueCase()) {
        case EXACT -> {}
        case REGEX -> checkPattern(what, q.getRegex(), problems);
        case VALUE_NOT_SET ->
            problems.add(what + " has no value match (or one this dataplane does not know)");
      }
    }
    String method = match.getMethod();
    if (!method.isEmpty() && !TOKEN.matcher(method).matches()) {
      problems.add(where + " matches method \"" + method + "\" (expected a method token)");
    }
  }

  private static void checkPath(String where, String path, List<String> problems) {
    if (!path.startsWith("/")) {
      problems.add(where + " matches path \"" + path + "\" (expected a path starting with /)");
    }
  }

  private static void checkPattern(String what, String pattern, List<String> problems) {
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      problems.add(
          what + " has pattern \"" + pattern + "\" that is not valid RE2: " + e.getDescription());
    }
  }
}
