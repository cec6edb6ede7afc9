package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.BackendProtocol;
import dev.gantry.crds.v1alpha1.BackendRef;
import dev.gantry.crds.v1alpha1.Match;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.Rule;
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
      String secret = spec.tls().secretName();
      if (secret == null || secret.isEmpty()) {
        return invalid("spec.tls.secretName: must name a Secret in the route's namespace");
      }
    }
    List<Rule> rules = spec.rulesOrEmpty();
    if (rules.isEmpty()) {
      return invalid("spec.rules is empty: a ProxyRoute needs at least one rule");
    }
    for (int i = 0; i < rules.size(); i++) {
      Optional<String> problem = validateRule(rules.get(i));
      if (problem.isPresent()) {
        return invalid("spec.rules[" + i + "]" + problem.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> validateRule(Rule rule) {
    if (rule == null) {
      return Optional.of(" is empty");
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
}
