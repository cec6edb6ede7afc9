package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.BackendProtocol;
import dev.gantry.crds.v1alpha1.BackendRef;
import dev.gantry.crds.v1alpha1.Hsts;
import dev.gantry.crds.v1alpha1.Include;
import dev.gantry.crds.v1alpha1.Match;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a ProxyRoute spec for what the API server's schema cannot (or, for files in standalone
 * mode, did not) enforce. Returns the first problem, phrased so a person can fix it.
 */
final class ProxyRouteValidator {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern HOSTNAME =
      Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");
  private static final Pattern SERVICE_NAME = LABEL;
  private static final Pattern SECRET_REF =
      Pattern.compile("(" + LABEL + "/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final Pattern INCLUDE_PREFIX = Pattern.compile("/[^?#\\s]*");
  private static final Duration ONE_YEAR = Duration.ofDays(365);

  private ProxyRouteValidator() {}

  static Optional<Problem> validate(ProxyRouteSpec spec) {
    if (spec == null) {
      return invalid("spec is missing");
    }
    List<String> hostnames = spec.hostnamesOrEmpty();
    for (String host : hostnames) {
      if (host == null || host.length() > 253 || !HOSTNAME.matcher(host).matches()) {
        return invalid(
            "spec.hostnames: \"" + host + "\" is not a lower-case DNS name or *.wildcard");
      }
    }
    if (hostnames.stream().distinct().count() != hostnames.size()) {
      return invalid("spec.hostnames lists a hostname twice");
    }
    if (spec.tls() != null) {
      if (hostnames.isEmpty()) {
        return invalid(
            "spec.tls needs spec.hostnames: a certificate is chosen by hostname (for every other"
                + " host, use the default certificate)");
      }
      Optional<String> tlsProblem = validateTls(spec.tls(), spec.rulesOrEmpty());
      if (tlsProblem.isPresent()) {
        return invalid("spec.tls" + tlsProblem.get());
      }
    }
    if (spec.includableOrDefault() && (!hostnames.isEmpty() || spec.tls() != null)) {
      return invalid(
          "spec.includable: an includable route is served under the hostnames of the routes that"
              + " include it: it has no hostnames or tls of its own");
    }
    if (!spec.includesOrEmpty().isEmpty()
        && spec.tls() != null
        && spec.tls().passthroughOrDefault()) {
      return invalid(
          "spec.includes: tls.passthrough relays bytes, not HTTP: it cannot include routes");
    }
    for (int i = 0; i < spec.includesOrEmpty().size(); i++) {
      Include include = spec.includesOrEmpty().get(i);
      if (include.name() == null || include.name().isEmpty()) {
        return invalid("spec.includes[" + i + "].name is missing");
      }
      String prefix = include.pathPrefix();
      if (prefix != null && !INCLUDE_PREFIX.matcher(prefix).matches()) {
        return invalid(
            "spec.includes["
                + i
                + "].pathPrefix: "
                + prefix
                + " (expected: an absolute path, without query or fragment)");
      }
    }
    List<Rule> rules = spec.rulesOrEmpty();
    if (rules.isEmpty() && spec.includesOrEmpty().isEmpty()) {
      return invalid("spec.rules is empty: a ProxyRoute needs at least one rule or include");
    }
    for (int i = 0; i < rules.size(); i++) {
      Optional<String> problem = validateRule(rules.get(i));
      if (problem.isPresent()) {
        return invalid("spec.rules[" + i + "]" + problem.get());
      }
    }
    return Optional.empty();
  }

  /** The schema's rules for spec.tls, for files that no API server checked. */
  private static Optional<String> validateTls(RouteTls tls, List<Rule> rules) {
    if (tls.passthroughOrDefault()) {
      if (tls.secretName() != null
          || tls.issuerRef() != null
          || tls.minVersion() != null
          || tls.cipherSuites() != null
          || tls.clientValidation() != null
          || tls.httpsRedirect() != null
          || tls.hsts() != null) {
        return Optional.of(
            ": passthrough relays TLS without terminating it: secretName, issuerRef, minVersion,"
                + " cipherSuites, clientValidation, httpsRedirect and hsts cannot be set with it");
      }
      if (rules.size() != 1 || !isBareForward(rules.getFirst())) {
        return Optional.of(
            ".passthrough relays bytes, not HTTP: it needs exactly one rule with backendRefs"
                + " only (no protocol or tls on them; no matches, filters or other policies)");
      }
      return Optional.empty();
    }
    String secret = tls.secretName();
    if (secret == null || !SECRET_REF.matcher(secret).matches()) {
      return Optional.of(
          ".secretName: must name a Secret (name, or namespace/name for a delegated one)"
              + " unless passthrough is true");
    }
    if (tls.issuerRef() != null && secret.contains("/")) {
      return Optional.of(
          ".secretName: with issuerRef, secretName names a Secret in the route's namespace");
    }
    if (tls.minVersion() != null && !List.of("1.2", "1.3").contains(tls.minVersion())) {
      return Optional.of(
          ".minVersion: \""
              + tls.minVersion()
              + "\" (expected: 1.2 or 1.3; TLS 1.0 and 1.1 are deprecated by RFC 8996)");
    }
    if (tls.cipherSuites() != null && "1.3".equals(tls.minVersion())) {
      return Optional.of(
          ".cipherSuites: TLS 1.2 suites have no effect with minVersion 1.3 (TLS 1.3 suites are"
              + " not configurable)");
    }
    if (tls.clientValidation() != null
        && (tls.clientValidation().caSecretName() == null
            || !FilterValidator.isHostname(tls.clientValidation().caSecretName()))) {
      return Optional.of(
          ".clientValidation.caSecretName: must name a Secret in the route's namespace");
    }
    Hsts hsts = tls.hsts();
    if (hsts != null) {
      Optional<Duration> maxAge = RouteTlsProcessor.maxAge(hsts.maxAge());
      if (maxAge.isEmpty()) {
        return Optional.of(
            ".hsts.maxAge: \""
                + hsts.maxAge()
                + "\" (expected: a number and one unit, d, h, m or s, e.g. 365d)");
      }
      if (hsts.preloadOrDefault()
          && (!hsts.includeSubDomainsOrDefault() || maxAge.get().compareTo(ONE_YEAR) < 0)) {
        return Optional.of(
            ".hsts.preload: needs includeSubDomains and a maxAge of at least one year (365d)");
      }
    }
    return Optional.empty();
  }

  /** Returns whether {@code rule} only forwards to backends, as passthrough needs. */
  private static boolean isBareForward(Rule rule) {
    return rule != null
        && !rule.backendRefsOrEmpty().isEmpty()
        && rule.backendRefsOrEmpty().stream()
            .allMatch(b -> b != null && b.protocol() == null && b.tls() == null)
        && rule.matches() == null
        && rule.directResponse() == null
        && rule.filters() == null
        && rule.timeouts() == null
        && rule.loadBalancer() == null
        && rule.requestBodyLimit() == null
        && rule.retry() == null
        && rule.circuitBreaker() == null
        && rule.healthCheck() == null
        && rule.outlierDetection() == null
        && rule.sessionPersistence() == null
        && rule.cors() == null
        && rule.grpcWeb() == null
        && rule.websocket() == null;
  }

  private static Optional<String> validateRule(Rule rule) {
    if (rule == null) {
      return Optional.of(" is empty");
    }
    if (rule.rateLimit() != null) {
      var limit = rule.rateLimit();
      if (limit.requests() == null || limit.requests() <= 0) {
        return Optional.of(".rateLimit.requests: needs a positive number");
      }
      if (limit.per() != null
          && GatewayDuration.parse(limit.per()).filter(d -> !d.isZero()).isEmpty()) {
        return Optional.of(
            ".rateLimit.per: \"" + limit.per() + "\" (expected: a duration such as 1s, 1m or 1h)");
      }
      if (limit.burst() != null && limit.burst() < 0) {
        return Optional.of(".rateLimit.burst: " + limit.burst() + " (expected: >= 0)");
      }
    }
    if (rule.sourceRanges() != null) {
      Optional<String> bad = badRange("allow", rule.sourceRanges().allowOrEmpty());
      if (bad.isEmpty()) {
        bad = badRange("deny", rule.sourceRanges().denyOrEmpty());
      }
      if (bad.isPresent()) {
        return bad;
      }
    }
    boolean forwards = !rule.backendRefsOrEmpty().isEmpty();
    boolean redirects = FilterValidator.redirects(rule);
    int actions =
        (forwards ? 1 : 0) + (rule.directResponse() != null ? 1 : 0) + (redirects ? 1 : 0);
    if (actions != 1) {
      return Optional.of(
          ": needs exactly one of backendRefs, directResponse and a RequestRedirect filter");
    }
    Optional<String> filterProblem = FilterValidator.validate(rule);
    if (filterProblem.isPresent()) {
      return filterProblem;
    }
    Optional<String> policyProblem = RulePolicies.validate(rule);
    if (policyProblem.isPresent()) {
      return policyProblem;
    }
    List<Match> matches = rule.matchesOrDefault();
    for (int j = 0; j < matches.size(); j++) {
      Optional<String> problem = MatchValidator.validate(matches.get(j));
      if (problem.isPresent()) {
        return Optional.of(".matches[" + j + "]" + problem.get());
      }
    }
    if (forwards) {
      List<BackendRef> refs = rule.backendRefsOrEmpty();
      for (int j = 0; j < refs.size(); j++) {
        BackendRef ref = refs.get(j);
        if (ref == null || ref.name() == null || !SERVICE_NAME.matcher(ref.name()).matches()) {
          return Optional.of(".backendRefs[" + j + "].name: must name a Service (a DNS label)");
        }
        if (ref.port() == null || ref.port() < 1 || ref.port() > 65535) {
          return Optional.of(".backendRefs[" + j + "].port: must be a port number, 1..65535");
        }
        if (ref.weight() != null && ref.weight() < 0) {
          return Optional.of(".backendRefs[" + j + "].weight: must not be negative");
        }
        if (ref.tls() != null) {
          if (ref.protocol() == BackendProtocol.HTTP || ref.protocol() == BackendProtocol.H2C) {
            return Optional.of(
                ".backendRefs["
                    + j
                    + "].tls: protocol "
                    + ref.protocol()
                    + " is cleartext (expected TLS, H2, or no protocol)");
          }
          String serverName = ref.tls().serverName();
          if (serverName != null && !FilterValidator.isHostname(serverName)) {
            return Optional.of(
                ".backendRefs[" + j + "].tls.serverName: must be a lower-case DNS name");
          }
          for (String[] secret :
              new String[][] {
                {"caSecretName", ref.tls().caSecretName()},
                {"clientCertificateSecretName", ref.tls().clientCertificateSecretName()}
              }) {
            if (secret[1] != null && !FilterValidator.isHostname(secret[1])) {
              return Optional.of(
                  ".backendRefs["
                      + j
                      + "].tls."
                      + secret[0]
                      + ": must name a Secret in the route's namespace (a DNS subdomain)");
            }
          }
        }
      }
    } else if (rule.directResponse() != null) {
      Integer status = rule.directResponse().status();
      if (status == null || status < 200 || status > 599) {
        return Optional.of(".directResponse.status: must be an HTTP status, 200..599");
      }
    }
    return Optional.empty();
  }

  private static Optional<Problem> invalid(String message) {
    return Optional.of(new Problem("Invalid", message));
  }

  private static Optional<String> badRange(String list, List<String> ranges) {
    for (int i = 0; i < ranges.size(); i++) {
      if (AddressRange.normalize(ranges.get(i)).isEmpty()) {
        return Optional.of(
            ".sourceRanges."
                + list
                + "["
                + i
                + "]: \""
                + ranges.get(i)
                + "\" (expected: an IPv4 or IPv6 address or CIDR range such as 10.0.0.0/8)");
      }
    }
    return Optional.empty();
  }
}
