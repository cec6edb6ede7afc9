package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What a ProxyRoute asks for: requests for {@code hostnames} are matched against {@code rules} in
 * order of precedence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.tls) || (has(self.hostnames) && size(self.hostnames) > 0)",
    message = "tls needs hostnames: a certificate is chosen by hostname")
@ValidationRule(
    value =
        "!has(self.tls) || !has(self.tls.passthrough) || !self.tls.passthrough ||"
            + " (has(self.rules) && size(self.rules) == 1 && has(self.rules[0].backendRefs) &&"
            + " ![has(self.rules[0].matches), has(self.rules[0].filters),"
            + " has(self.rules[0].timeouts), has(self.rules[0].loadBalancer),"
            + " has(self.rules[0].requestBodyLimit), has(self.rules[0].retry),"
            + " has(self.rules[0].circuitBreaker), has(self.rules[0].healthCheck),"
            + " has(self.rules[0].outlierDetection), has(self.rules[0].sessionPersistence),"
            + " has(self.rules[0].cors), has(self.rules[0].grpcWeb),"
            + " has(self.rules[0].websocket)]"
            + ".exists(x, x) && self.rules[0].backendRefs.all(b, !has(b.protocol) &&"
            + " !has(b.tls)))",
    message =
        "tls.passthrough relays bytes, not HTTP: it needs exactly one rule with backendRefs"
            + " only (no protocol or tls on them; no matches, filters or other policies)")
@ValidationRule(
    value =
        "!has(self.includable) || !self.includable || ((!has(self.hostnames) ||"
            + " size(self.hostnames) == 0) && !has(self.tls))",
    message =
        "an includable route is served under the hostnames of the routes that include it: it"
            + " has no hostnames or tls of its own")
@ValidationRule(
    value =
        "!has(self.includes) || !has(self.tls) || !has(self.tls.passthrough) ||"
            + " !self.tls.passthrough",
    message = "tls.passthrough relays bytes, not HTTP: it cannot include routes")
public record ProxyRouteSpec(
    @JsonPropertyDescription(
            "Hostnames served by these rules: exact (demo.example.com) or a wildcard for one or"
                + " more leading labels (*.example.com). Absent or empty: every host.")
        @Size(max = 16)
        List<String> hostnames,
    @JsonPropertyDescription(
            "Rules matched by precedence: Exact paths, then longer PathPrefixes, then longer"
                + " RegularExpressions; then method, more headers, more query parameters; then the"
                + " oldest route and rule order.")
        @Size(max = 64)
        List<Rule> rules,
    @JsonPropertyDescription(
            "Terminates TLS for spec.hostnames (which must then be set) with the certificate of a"
                + " Secret, or passes it through to the backends. Absent: the hostnames are served"
                + " over plain HTTP only.")
        RouteTls tls,
    @JsonPropertyDescription(
            "Other routes (includable: true, any namespace) whose rules are served on this"
                + " route's hostnames under a path prefix each. This route's own rules win over"
                + " included ones on the same match, and earlier includes over later ones.")
        @Size(max = 64)
        List<Include> includes,
    @JsonPropertyDescription(
            "True: this route is served only where other routes include it, under their"
                + " hostnames and prefix; it has no hostnames of its own. Included by none, it"
                + " is not served (Accepted=False, Orphaned).")
        Boolean includable) {

  /** A spec without TLS. */
  public ProxyRouteSpec(List<String> hostnames, List<Rule> rules) {
    this(hostnames, rules, null);
  }

  /** A spec that includes no route and is not includable. */
  public ProxyRouteSpec(List<String> hostnames, List<Rule> rules, RouteTls tls) {
    this(hostnames, rules, tls, null, null);
  }

  public ProxyRouteSpec {
    hostnames = hostnames == null ? null : List.copyOf(hostnames);
    rules = rules == null ? null : List.copyOf(rules);
    includes = includes == null ? null : List.copyOf(includes);
  }

  /** Returns the includes, empty when none were given. */
  public List<Include> includesOrEmpty() {
    return includes == null ? List.of() : includes;
  }

  /** Returns whether the route is served only through the routes that include it. */
  public boolean includableOrDefault() {
    return Boolean.TRUE.equals(includable);
  }

  /** Returns the hostnames, empty when none were given. */
  public List<String> hostnamesOrEmpty() {
    return hostnames == null ? List.of() : hostnames;
  }

  /** Returns the rules, empty when none were given. */
  public List<Rule> rulesOrEmpty() {
    return rules == null ? List.of() : rules;
  }
}
