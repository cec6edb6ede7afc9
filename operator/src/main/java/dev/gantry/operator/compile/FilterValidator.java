package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.BackendRef;
import dev.gantry.crds.v1alpha1.Filter;
import dev.gantry.crds.v1alpha1.FilterType;
import dev.gantry.crds.v1alpha1.HeaderModifier;
import dev.gantry.crds.v1alpha1.HeaderValue;
import dev.gantry.crds.v1alpha1.Match;
import dev.gantry.crds.v1alpha1.PathMatchType;
import dev.gantry.crds.v1alpha1.PathModifier;
import dev.gantry.crds.v1alpha1.PathModifierType;
import dev.gantry.crds.v1alpha1.RequestRedirect;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.crds.v1alpha1.Timeouts;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a rule's filters and timeouts: each filter carries exactly the field its type names, at
 * most one of each type but RequestMirror, no RequestRedirect together with URLRewrite,
 * ReplacePrefixMatch only where every match is a PathPrefix, well-formed headers, hosts, ports and
 * durations. Returns the first problem as a field path relative to the rule and a sentence.
 */
final class FilterValidator {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern HOSTNAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  /**
   * Headers that frame the message or belong to one connection: editing them would desynchronise
   * the proxy and its peers (request smuggling). The Host header changes through URLRewrite.
   */
  static final Set<String> PROTECTED_HEADERS =
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

  private FilterValidator() {}

  static Optional<String> validate(Rule rule) {
    List<Filter> filters = rule.filtersOrEmpty();
    Set<FilterType> seen = EnumSet.noneOf(FilterType.class);
    for (int i = 0; i < filters.size(); i++) {
      String where = ".filters[" + i + "]";
      Filter f = filters.get(i);
      if (f == null || f.type() == null) {
        return Optional.of(where + ".type: must name a filter type");
      }
      if (f.type() != FilterType.RequestMirror && !seen.add(f.type())) {
        return Optional.of(where + ".type: " + f.type() + " may appear once per rule");
      }
      seen.add(f.type());
      Optional<String> problem = validateFilter(where, f, rule);
      if (problem.isPresent()) {
        return problem;
      }
    }
    if (seen.contains(FilterType.RequestRedirect) && seen.contains(FilterType.URLRewrite)) {
      return Optional.of(".filters: RequestRedirect and URLRewrite cannot be combined");
    }
    return validateTimeouts(rule.timeouts());
  }

  /** Returns whether the rule answers with a redirect. */
  static boolean redirects(Rule rule) {
    return rule.filtersOrEmpty().stream()
        .anyMatch(f -> f != null && f.type() == FilterType.RequestRedirect);
  }

  private static Optional<String> validateFilter(String where, Filter f, Rule rule) {
    int set =
        count(f.requestHeaderModifier())
            + count(f.responseHeaderModifier())
            + count(f.requestRedirect())
            + count(f.urlRewrite())
            + count(f.requestMirror());
    Object named =
        switch (f.type()) {
          case RequestHeaderModifier -> f.requestHeaderModifier();
          case ResponseHeaderModifier -> f.responseHeaderModifier();
          case RequestRedirect -> f.requestRedirect();
          case URLRewrite -> f.urlRewrite();
          case RequestMirror -> f.requestMirror();
        };
    if (named == null || set != 1) {
      return Optional.of(where + ": set exactly the field that type " + f.type() + " names");
    }
    return switch (f.type()) {
      case RequestHeaderModifier ->
          validateHeaders(where + ".requestHeaderModifier", f.requestHeaderModifier());
      case ResponseHeaderModifier ->
          validateHeaders(where + ".responseHeaderModifier", f.responseHeaderModifier());
      case RequestRedirect ->
          validateRedirect(where + ".requestRedirect", f.requestRedirect(), rule);
      case URLRewrite -> {
        String w = where + ".urlRewrite";
        if (f.urlRewrite().hostname() != null && !isHostname(f.urlRewrite().hostname())) {
          yield Optional.of(w + ".hostname: must be a lower-case DNS name");
        }
        yield validatePath(w + ".path", f.urlRewrite().path(), rule);
      }
      case RequestMirror -> {
        BackendRef ref = f.requestMirror().backendRef();
        String w = where + ".requestMirror.backendRef";
        if (ref == null || ref.name() == null || !LABEL.matcher(ref.name()).matches()) {
          yield Optional.of(w + ".name: must name a Service (a DNS label)");
        }
        if (ref.port() == null || ref.port() < 1 || ref.port() > 65535) {
          yield Optional.of(w + ".port: must be a port number, 1..65535");
        }
        yield Optional.empty();
      }
    };
  }

  private static Optional<String> validateHeaders(String where, HeaderModifier m) {
    Set<String> names = new HashSet<>();
    for (List<HeaderValue> values : List.of(m.setOrEmpty(), m.addOrEmpty())) {
      for (HeaderValue h : values) {
        if (h == null || h.name() == null || !TOKEN.matcher(h.name()).matches()) {
          return Optional.of(where + ": every header needs a valid name");
        }
        if (h.value() == null
            || h.value().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
          return Optional.of(
              where + ": header " + h.name() + " needs a value without CR, LF or NUL");
        }
        if (!names.add(h.name().toLowerCase(Locale.ROOT))) {
          return Optional.of(where + ": header " + h.name() + " is modified twice");
        }
      }
    }
    for (String name : names) {
      if (PROTECTED_HEADERS.contains(name)) {
        return Optional.of(
            where + ": header " + name + " frames the message and cannot be modified");
      }
    }
    for (String name : m.removeOrEmpty()) {
      if (name == null || !TOKEN.matcher(name).matches()) {
        return Optional.of(where + ".remove: \"" + name + "\" is not a header name");
      }
      if (!names.add(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(where + ": header " + name + " is modified twice");
      }
      if (PROTECTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(
            where + ": header " + name + " frames the message and cannot be modified");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> validateRedirect(String where, RequestRedirect r, Rule rule) {
    if (!rule.backendRefsOrEmpty().isEmpty() || rule.directResponse() != null) {
      return Optional.of(
          where + ": a redirect rule cannot also have backendRefs or directResponse");
    }
    if (r.scheme() != null && !r.scheme().equals("http") && !r.scheme().equals("https")) {
      return Optional.of(where + ".scheme: must be http or https");
    }
    if (r.hostname() != null && !isHostname(r.hostname())) {
      return Optional.of(where + ".hostname: must be a lower-case DNS name");
    }
    if (r.port() != null && (r.port() < 1 || r.port() > 65535)) {
      return Optional.of(where + ".port: must be a port number, 1..65535");
    }
    if (!REDIRECT_STATUSES.contains(r.statusCodeOrDefault())) {
      return Optional.of(where + ".statusCode: must be 301, 302, 303, 307 or 308");
    }
    return validatePath(where + ".path", r.path(), rule);
  }

  private static Optional<String> validatePath(String where, PathModifier p, Rule rule) {
    if (p == null) {
      return Optional.empty();
    }
    if (p.type() == null) {
      return Optional.of(where + ".type: must be ReplaceFullPath or ReplacePrefixMatch");
    }
    boolean full = p.type() == PathModifierType.ReplaceFullPath;
    String value = full ? p.replaceFullPath() : p.replacePrefixMatch();
    String other = full ? p.replacePrefixMatch() : p.replaceFullPath();
    String field = full ? "replaceFullPath" : "replacePrefixMatch";
    if (value == null || other != null) {
      return Optional.of(where + ": type " + p.type() + " needs " + field + " and nothing else");
    }
    if (!value.startsWith("/")
        || value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '?' || c == '#')) {
      return Optional.of(
          where + "." + field + ": \"" + value + "\" must be an absolute path without '?' or '#'");
    }
    if (!full) {
      for (Match m : rule.matchesOrDefault()) {
        if (m != null && m.path() != null && m.path().type() != PathMatchType.PathPrefix) {
          return Optional.of(
              where + ": ReplacePrefixMatch needs every match of the rule to be a PathPrefix");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> validateTimeouts(Timeouts t) {
    if (t == null) {
      return Optional.empty();
    }
    Optional<Duration> request = Optional.empty();
    if (t.request() != null) {
      request = GatewayDuration.parse(t.request());
      if (request.isEmpty()) {
        return Optional.of(".timeouts.request: \"" + t.request() + "\" is not a duration (1m30s)");
      }
    }
    if (t.backendRequest() != null) {
      Optional<Duration> backend = GatewayDuration.parse(t.backendRequest());
      if (backend.isEmpty()) {
        return Optional.of(
            ".timeouts.backendRequest: \"" + t.backendRequest() + "\" is not a duration (1m30s)");
      }
      if (request.filter(r -> !r.isZero()).isPresent()
          && (backend.get().isZero() || backend.get().compareTo(request.get()) > 0)) {
        return Optional.of(".timeouts.backendRequest: must not be longer than request");
      }
    }
    if (t.idle() != null && GatewayDuration.parse(t.idle()).isEmpty()) {
      return Optional.of(".timeouts.idle: \"" + t.idle() + "\" is not a duration (1m30s)");
    }
    if (t.connect() != null) {
      Optional<Duration> connect = GatewayDuration.parse(t.connect());
      if (connect.isEmpty() || connect.get().isZero()) {
        return Optional.of(
            ".timeouts.connect: \"" + t.connect() + "\" is not a positive duration (e.g. 2s)");
      }
    }
    return Optional.empty();
  }

  static boolean isHostname(String host) {
    return host.length() <= 253 && HOSTNAME.matcher(host).matches();
  }

  private static int count(Object o) {
    return o == null ? 0 : 1;
  }
}
