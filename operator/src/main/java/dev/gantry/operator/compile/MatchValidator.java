package dev.gantry.operator.compile;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gantry.crds.v1alpha1.HeaderMatch;
import dev.gantry.crds.v1alpha1.Match;
import dev.gantry.crds.v1alpha1.PathMatchType;
import dev.gantry.crds.v1alpha1.QueryParamMatch;
import dev.gantry.crds.v1alpha1.ValueMatchType;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one rule match: a well-formed path, compilable RE2 patterns, unique header and query
 * parameter names. Returns the first problem as a field path relative to the match and a sentence,
 * e.g. {@code .path.value: "(" is not a valid RE2 pattern: missing closing )}.
 */
final class MatchValidator {
  private static final java.util.regex.Pattern TOKEN =
      java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");

  private MatchValidator() {}

  static Optional<String> validate(Match m) {
    if (m == null) {
      return Optional.empty(); // an empty match means PathPrefix /
    }
    if (m.path() != null) {
      Optional<String> problem = validatePath(m.path().type(), m.path().value());
      if (problem.isPresent()) {
        return problem;
      }
    }
    Set<String> names = new HashSet<>();
    List<HeaderMatch> headers = m.headersOrEmpty();
    for (int i = 0; i < headers.size(); i++) {
      HeaderMatch h = headers.get(i);
      String where = ".headers[" + i + "]";
      if (h == null || h.name() == null || !TOKEN.matcher(h.name()).matches()) {
        return Optional.of(where + ".name: must be an HTTP header name");
      }
      if (!names.add(h.name().toLowerCase(Locale.ROOT))) {
        return Optional.of(where + ".name: header " + h.name() + " is matched twice");
      }
      Optional<String> problem = validateValue(where, h.typeOrDefault(), h.value());
      if (problem.isPresent()) {
        return problem;
      }
    }
    names.clear();
    List<QueryParamMatch> query = m.queryParamsOrEmpty();
    for (int i = 0; i < query.size(); i++) {
      QueryParamMatch q = query.get(i);
      String where = ".queryParams[" + i + "]";
      if (q == null || q.name() == null || q.name().isEmpty()) {
        return Optional.of(where + ".name: must not be empty");
      }
      if (!names.add(q.name())) {
        return Optional.of(where + ".name: query parameter " + q.name() + " is matched twice");
      }
      Optional<String> problem = validateValue(where, q.typeOrDefault(), q.value());
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> validatePath(PathMatchType type, String value) {
    if (type == null) {
      return Optional.of(".path.type: must be PathPrefix, Exact or RegularExpression");
    }
    if (type == PathMatchType.RegularExpression) {
      return checkPattern(".path.value", value);
    }
    if (value == null
        || !value.startsWith("/")
        || value.length() > 1024
        || value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '?' || c == '#')) {
      return Optional.of(
          ".path.value: \""
              + value
              + "\" must be an absolute path without spaces, control characters, '?' or '#'");
    }
    return Optional.empty();
  }

  private static Optional<String> validateValue(String where, ValueMatchType type, String value) {
    if (value == null) {
      return Optional.of(where + ".value: is missing");
    }
    if (type == ValueMatchType.RegularExpression) {
      return checkPattern(where + ".value", value);
    }
    return Optional.empty();
  }

  /** Returns why {@code pattern} is not a valid RE2 pattern, if it is not. */
  static Optional<String> checkPattern(String where, String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      return Optional.of(where + ": must be a non-empty RE2 pattern");
    }
    try {
      Pattern.compile(pattern);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(
          where + ": \"" + pattern + "\" is not a valid RE2 pattern: " + e.getDescription());
    }
  }
}
