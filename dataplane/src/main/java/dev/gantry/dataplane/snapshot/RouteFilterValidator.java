package dev.gantry.dataplane.snapshot;

import dev.gantry.protocol.v1.Filter;
import dev.gantry.protocol.v1.HeaderModifier;
import dev.gantry.protocol.v1.HeaderValue;
import dev.gantry.protocol.v1.PathModifier;
import dev.gantry.protocol.v1.RedirectAction;
import dev.gantry.protocol.v1.Route;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds what in a route's filters and redirect this dataplane cannot serve: unknown filter or path
 * modifier kinds, a repeated filter kind, a prefix replacement on a route without a prefix match,
 * bad header names or values, an unknown mirror cluster, a bad redirect. Part of {@link
 * SnapshotValidator}; a pure function.
 */
final class RouteFilterValidator {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  /** Headers that frame the message or belong to one connection; editing them could smuggle. */
  private static final Set<String> PROTECTED_HEADERS =
      Set.of(
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "upgrade");

  private RouteFilterValidator() {}

  static void check(String where, Route route, Set<String> clusters, List<String> problems) {
    boolean prefixMatch = route.getMatch().hasPrefix();
    int[] kinds = new int[Filter.KindCase.values().length];
    for (Filter f : route.getFiltersList()) {
      Filter.KindCase kind = f.getKindCase();
      if (kind != Filter.KindCase.REQUEST_MIRROR && ++kinds[kind.ordinal()] == 2) {
        problems.add(where + " has more than one " + kind + " filter");
      }
      switch (kind) {
        case REQUEST_HEADER_MODIFIER ->
            checkHeaders(where + " request headers", f.getRequestHeaderModifier(), problems);
        case RESPONSE_HEADER_MODIFIER ->
            checkHeaders(where + " response headers", f.getResponseHeaderModifier(), problems);
        case URL_REWRITE -> {
          if (f.getUrlRewrite().hasPath()) {
            checkPath(where + " URL rewrite", f.getUrlRewrite().getPath(), prefixMatch, problems);
          }
        }
        case REQUEST_MIRROR -> {
          if (!clusters.contains(f.getRequestMirror().getCluster())) {
            problems.add(
                where + " mirrors to unknown cluster " + f.getRequestMirror().getCluster());
          }
        }
        case KIND_NOT_SET ->
            problems.add(where + " has a filter of a kind this dataplane does not know");
      }
    }
  }

  static void checkRedirect(String where, Route route, List<String> problems) {
    RedirectAction r = route.getRedirect();
    if (!REDIRECT_STATUSES.contains(r.getStatusCode())) {
      problems.add(
          where
              + " redirects with status "
              + Integer.toUnsignedLong(r.getStatusCode())
              + " (expected 301, 302, 303, 307 or 308)");
    }
    if (!r.getScheme().isEmpty()
        && !r.getScheme().equals("http")
        && !r.getScheme().equals("https")) {
      problems.add(
          where + " redirects to scheme \"" + r.getScheme() + "\" (expected http or https)");
    }
    if (Integer.toUnsignedLong(r.getPort()) > 65535) {
      problems.add(where + " redirects to port " + Integer.toUnsignedLong(r.getPort()));
    }
    if (r.getHostname().chars().anyMatch(c -> c <= 0x20 || c == 0x7f || "/?#@".indexOf(c) >= 0)) {
      problems.add(where + " redirects to host \"" + r.getHostname() + "\" (expected a host name)");
    }
    if (r.hasPath()) {
      checkPath(where + " redirect", r.getPath(), route.getMatch().hasPrefix(), problems);
    }
  }

  private static void checkHeaders(String where, HeaderModifier m, List<String> problems) {
    for (List<HeaderValue> values : List.of(m.getSetList(), m.getAddList())) {
      for (HeaderValue h : values) {
        checkName(where, h.getName(), problems);
        if (h.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
          problems.add(where + " give header " + h.getName() + " a value with CR, LF or NUL");
        }
      }
    }
    for (String name : m.getRemoveList()) {
      checkName(where, name, problems);
    }
  }

  private static void checkName(String where, String name, List<String> problems) {
    if (!TOKEN.matcher(name).matches()) {
      problems.add(where + " name header \"" + name + "\" (expected a header name)");
    } else if (PROTECTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      problems.add(where + " modify header " + name + ", which frames the message");
    }
  }

  private static void checkPath(
      String where, PathModifier m, boolean prefixMatch, List<String> problems) {
    switch (m.getKindCase()) {
      case REPLACE_FULL_PATH -> checkAbsolute(where, m.getReplaceFullPath(), problems);
      case REPLACE_PREFIX_MATCH -> {
        checkAbsolute(where, m.getReplacePrefixMatch(), problems);
        if (!prefixMatch) {
          problems.add(where + " replaces the prefix match of a route without a prefix match");
        }
      }
      case REGEX_SUBSTITUTION -> {
        checkAbsolute(where, m.getRegexSubstitution().getSubstitution(), problems);
        try {
          com.google.re2j.Pattern.compile(m.getRegexSubstitution().getPattern());
        } catch (com.google.re2j.PatternSyntaxException e) {
          problems.add(
              where
                  + " rewrites with \""
                  + m.getRegexSubstitution().getPattern()
                  + "\", which is not an RE2 pattern");
        }
      }
      case KIND_NOT_SET ->
          problems.add(where + " has a path modifier of a kind this dataplane does not know");
    }
  }

  private static void checkAbsolute(String where, String path, List<String> problems) {
    if (!path.startsWith("/")
        || path.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '?' || c == '#')) {
      problems.add(where + " sets path \"" + path + "\" (expected an absolute path)");
    }
  }
}
