package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.BackendProtocol;
import dev.gantry.crds.v1alpha1.BackendRef;
import dev.gantry.crds.v1alpha1.BackendTls;
import dev.gantry.crds.v1alpha1.Include;
import dev.gantry.crds.v1alpha1.Match;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.crds.v1alpha1.ValueMatchType;
import dev.gantry.operator.ir.Cluster;
import dev.gantry.operator.ir.ClusterPolicy;
import dev.gantry.operator.ir.Filters;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.PathMatch;
import dev.gantry.operator.ir.Route;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.RouteMatch;
import dev.gantry.operator.ir.TcpProxy;
import dev.gantry.operator.ir.Timeouts;
import dev.gantry.operator.ir.UpstreamProtocol;
import dev.gantry.operator.ir.UpstreamTlsSettings;
import dev.gantry.operator.ir.ValueMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns ProxyRoutes into routes: validates each, resolves its backends, and reports what it found.
 * An invalid ProxyRoute is reported and left out; it never fails the compile.
 */
final class ProxyRouteProcessor {
  static final String KIND = "ProxyRoute";
  static final String ANY_HOST = "*";

  /** How many includes deep a route may be served; deeper ones are reported, not followed. */
  static final int MAX_INCLUDE_DEPTH = 8;

  private final BackendIndex backends;
  private final TlsProcessor tls;
  private final RouteTlsProcessor routeTls;
  private final GraphBuilder graph;
  private final Map<ObjectRef, ProxyRoute> routes = new HashMap<>();

  // Problems of included routes, gathered over every route that includes them.
  private final Map<ObjectRef, List<Problem>> included = new LinkedHashMap<>();

  // TLS backends spoken to without verification, by the route whose rule names them.
  private final Map<ObjectRef, Set<String>> unverified = new HashMap<>();
  private ObjectRef serving;

  ProxyRouteProcessor(
      BackendIndex backends,
      TlsProcessor tls,
      RouteTlsProcessor routeTls,
      GraphBuilder graph,
      List<ProxyRoute> all) {
    this.backends = backends;
    this.tls = tls;
    this.routeTls = routeTls;
    this.graph = graph;
    all.forEach(r -> routes.put(refOf(r), r));
  }

  /**
   * Serves {@code route} on its hostnames, and the routes it includes under theirs. Includable
   * routes are served only through the routes that include them: {@link #finish} reports them.
   */
  void process(ProxyRoute route) {
    if (route.getSpec().includableOrDefault()) {
      return;
    }
    ObjectRef ref = refOf(route);
    String namespace = ref.namespace();
    long generation = generationOf(route);

    Optional<Problem> invalid = ProxyRouteValidator.validate(route.getSpec());
    if (invalid.isPresent()) {
      graph.report(ObjectReport.rejected(ref, generation, invalid.get()));
      return;
    }
    List<String> hosts =
        route.getSpec().hostnamesOrEmpty().isEmpty()
            ? List.of(ANY_HOST)
            : route.getSpec().hostnamesOrEmpty();
    List<Problem> unresolved = new ArrayList<>();
    List<Rule> rules = route.getSpec().rulesOrEmpty();
    RouteTls routeTlsSpec = route.getSpec().tls();
    if (routeTlsSpec != null && routeTlsSpec.passthroughOrDefault()) {
      serving = ref;
      routeTls.passThrough(
          ref, hosts, tcpProxy(namespace, rules.getFirst(), unresolved), unresolved);
      graph.report(ObjectReport.accepted(ref, generation, unresolved));
      return;
    }
    // Hosts an older route passes through serve none of this route's rules.
    hosts = routeTls.notPassedThrough(hosts, unresolved);
    serve(route, ref, hosts, "", unresolved, List.of(ref));
    if (routeTlsSpec != null) {
      routeTls.terminate(ref, namespace, hosts, routeTlsSpec, unresolved);
    }
    graph.report(
        ObjectReport.accepted(ref, generation, unresolved, unverified.getOrDefault(ref, Set.of())));
  }

  /**
   * Reports the includable routes once every route is processed: served where some route included
   * them, with what went wrong there; else not served at all ({@code Orphaned}).
   */
  void finish(List<ProxyRoute> oldestFirst) {
    for (ProxyRoute route : oldestFirst) {
      if (!route.getSpec().includableOrDefault()) {
        continue;
      }
      ObjectRef ref = refOf(route);
      long generation = generationOf(route);
      Optional<Problem> invalid = ProxyRouteValidator.validate(route.getSpec());
      if (invalid.isPresent()) {
        graph.report(ObjectReport.rejected(ref, generation, invalid.get()));
      } else if (!included.containsKey(ref)) {
        graph.report(
            ObjectReport.rejected(
                ref,
                generation,
                new Problem(
                    IncludeProblems.ORPHANED,
                    "no ProxyRoute includes this route (spec.includable: true), so it is not"
                        + " served")));
      } else {
        graph.report(
            ObjectReport.accepted(
                ref,
                generation,
                included.get(ref).stream().distinct().toList(),
                unverified.getOrDefault(ref, Set.of())));
      }
    }
  }

  /**
   * Adds {@code route}'s rules for {@code hosts}, their paths under {@code prefix} ({@code ""}:
   * none), then what it includes, deeper under their prefixes; its problems go to {@code
   * unresolved}. {@code chain} is the route and those that included it, outermost first.
   */
  private void serve(
      ProxyRoute route,
      ObjectRef ref,
      List<String> hosts,
      String prefix,
      List<Problem> unresolved,
      List<ObjectRef> chain) {
    serving = ref;
    String namespace = ref.namespace();
    List<Rule> rules = route.getSpec().rulesOrEmpty();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      RouteAction action = actionOf(namespace, rule, unresolved);
      Filters filters =
          RuleFilters.of(
              rule, b -> clusterOf(namespace, b, ClusterPolicy.DEFAULT, unresolved).name());
      Timeouts timeouts = RuleFilters.timeouts(rule);
      String name = ref + "/rule-" + i;
      for (Match m : rule.matchesOrDefault()) {
        Route r =
            new Route(
                name,
                under(prefix, matchOf(m)),
                action,
                filters,
                timeouts,
                RulePolicies.routePolicy(rule),
                ref);
        hosts.forEach(h -> graph.addRoute(h, r));
      }
    }
    List<Include> includes = route.getSpec().includesOrEmpty();
    for (int i = 0; i < includes.size(); i++) {
      Include include = includes.get(i);
      ObjectRef target =
          new ObjectRef(
              KIND, Objects.requireNonNullElse(include.namespace(), namespace), include.name());
      String where = "spec.includes[" + i + "] (" + target.namespace() + "/" + target.name() + ")";
      ProxyRoute child = routes.get(target);
      if (child == null) {
        unresolved.add(new Problem(IncludeProblems.NOT_FOUND, where + ": no such ProxyRoute"));
      } else if (!child.getSpec().includableOrDefault()) {
        unresolved.add(
            new Problem(
                IncludeProblems.NOT_INCLUDABLE,
                where
                    + ": the route does not have spec.includable: true (a route with hostnames of"
                    + " its own is not included)"));
      } else if (chain.contains(target)) {
        unresolved.add(
            new Problem(
                IncludeProblems.CYCLE,
                where
                    + ": a cycle ("
                    + String.join(
                        " -> ",
                        Stream.concat(chain.stream(), Stream.of(target))
                            .map(r -> r.namespace() + "/" + r.name())
                            .toList())
                    + "); it is not followed"));
      } else if (chain.size() > MAX_INCLUDE_DEPTH) {
        unresolved.add(
            new Problem(
                IncludeProblems.TOO_DEEP,
                where + ": more than " + MAX_INCLUDE_DEPTH + " includes deep; it is not followed"));
      } else if (ProxyRouteValidator.validate(child.getSpec()).isEmpty()) {
        List<Problem> problems = included.computeIfAbsent(target, t -> new ArrayList<>());
        List<ObjectRef> deeper = new ArrayList<>(chain);
        deeper.add(target);
        serve(child, target, hosts, prefix + include.pathPrefixOrEmpty(), problems, deeper);
        serving = ref;
      } // else: the child reports its own rejection (finish)
    }
  }

  /**
   * Returns {@code match} with its path under {@code prefix}: a PathPrefix {@code /} becomes the
   * prefix itself, any other path is appended to it, and a pattern must follow the prefix.
   */
  static RouteMatch under(String prefix, RouteMatch match) {
    if (prefix.isEmpty()) {
      return match;
    }
    PathMatch path = match.path();
    PathMatch joined =
        switch (path.kind()) {
          case PREFIX ->
              PathMatch.prefix(path.value().equals("/") ? prefix : prefix + path.value());
          case EXACT -> PathMatch.exact(prefix + path.value());
          case REGEX -> PathMatch.regex(quoteRe2(prefix) + "(?:" + path.value() + ")");
        };
    return new RouteMatch(joined, match.headers(), match.queryParams(), match.method());
  }

  /** Escapes RE2's metacharacters, so that {@code literal} matches itself. */
  static String quoteRe2(String literal) {
    StringBuilder quoted = new StringBuilder(literal.length() + 8);
    for (char c : literal.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.toString();
  }

  private static ObjectRef refOf(ProxyRoute route) {
    return new ObjectRef(
        KIND,
        BackendIndex.namespaceOf(route.getMetadata().getNamespace()),
        route.getMetadata().getName());
  }

  private static long generationOf(ProxyRoute route) {
    return Objects.requireNonNullElse(route.getMetadata().getGeneration(), 0L);
  }

  /**
   * Returns the relay of a passthrough route's single rule: its backends as they are, weighted; the
   * idle timeout is the dataplane's default, as ProxyRoute has no field for it.
   */
  private TcpProxy tcpProxy(String namespace, Rule rule, List<Problem> unresolved) {
    List<RouteAction.WeightedCluster> targets = new ArrayList<>();
    for (BackendRef b : rule.backendRefsOrEmpty()) {
      Cluster cluster = resolve(namespace, b.name(), b.port(), unresolved);
      targets.add(new RouteAction.WeightedCluster(cluster.name(), b.weightOrDefault()));
    }
    return new TcpProxy(targets, Duration.ZERO);
  }

  private RouteAction actionOf(String namespace, Rule rule, List<Problem> unresolved) {
    if (rule.directResponse() != null) {
      return new RouteAction.DirectResponse(
          rule.directResponse().status(),
          Objects.requireNonNullElse(rule.directResponse().body(), ""));
    }
    Optional<RouteAction.Redirect> redirect = RuleFilters.redirect(rule);
    if (redirect.isPresent()) {
      return redirect.get();
    }
    List<RouteAction.WeightedCluster> targets = new ArrayList<>();
    for (BackendRef b : rule.backendRefsOrEmpty()) {
      Cluster cluster = clusterOf(namespace, b, RulePolicies.clusterPolicy(rule), unresolved);
      targets.add(new RouteAction.WeightedCluster(cluster.name(), b.weightOrDefault()));
    }
    if (targets.stream().allMatch(t -> t.weight() == 0)) {
      // Gateway API: a rule whose backends all weigh 0 answers 500.
      return new RouteAction.DirectResponse(500, "every backend of this rule has weight 0\n");
    }
    return new RouteAction.Forward(targets);
  }

  /**
   * Returns the cluster of a backend reference under {@code policy}, spoken to over the reference's
   * protocol if it names one (else the Service port's; over TLS when the reference has TLS
   * settings), and records it.
   */
  private Cluster clusterOf(
      String namespace, BackendRef b, ClusterPolicy policy, List<Problem> unresolved) {
    Cluster resolved = resolve(namespace, b.name(), b.port(), unresolved);
    UpstreamProtocol override = protocolOf(b.protocol());
    if (override == null && b.tls() != null) {
      override = resolved.protocol().overTls();
    }
    UpstreamTlsSettings defaults = UpstreamTlsSettings.defaultFor(namespace, b.name());
    Cluster cluster =
        resolved
            .withTransport(override, tlsSettings(namespace, b, defaults, unresolved), defaults)
            .withPolicy(policy);
    graph.addCluster(cluster);
    if (cluster.tls().filter(UpstreamTlsSettings::insecureSkipVerify).isPresent()) {
      unverified.computeIfAbsent(serving, r -> new HashSet<>()).add(cluster.name());
    }
    return cluster;
  }

  /**
   * Returns the TLS settings of a backend reference: the Service's defaults with what its {@code
   * tls} block changes, CA bundle and client certificate read from their Secrets.
   */
  private UpstreamTlsSettings tlsSettings(
      String namespace, BackendRef b, UpstreamTlsSettings defaults, List<Problem> unresolved) {
    BackendTls t = b.tls();
    if (t == null) {
      return defaults;
    }
    String backend = "backend " + namespace + "/" + b.name() + ":" + b.port();
    List<Problem> problems = new ArrayList<>();
    String ca =
        t.caSecretName() == null
            ? ""
            : tls.caBundle(namespace, t.caSecretName(), backend, problems).orElse("");
    String client =
        t.clientCertificateSecretName() == null
            ? ""
            : tls.clientCertificate(namespace, t.clientCertificateSecretName(), backend, problems)
                .orElse("");
    problems.stream().filter(p -> !unresolved.contains(p)).forEach(unresolved::add);
    return new UpstreamTlsSettings(
        Objects.requireNonNullElse(t.serverName(), defaults.serverName()),
        Boolean.TRUE.equals(t.insecureSkipVerify()),
        ca,
        client);
  }

  private static UpstreamProtocol protocolOf(BackendProtocol protocol) {
    if (protocol == null) {
      return null;
    }
    return switch (protocol) {
      case HTTP -> UpstreamProtocol.HTTP1;
      case H2C -> UpstreamProtocol.H2C;
      case TLS -> UpstreamProtocol.TLS;
      case H2 -> UpstreamProtocol.H2;
    };
  }

  /** Resolves a Service port to a cluster, records it, and notes why it is broken if it is. */
  private Cluster resolve(String namespace, String service, int port, List<Problem> unresolved) {
    BackendIndex.Resolution res = backends.resolve(namespace, service, port);
    res.problem().filter(p -> !unresolved.contains(p)).ifPresent(unresolved::add);
    graph.addCluster(res.cluster());
    return res.cluster();
  }

  private static RouteMatch matchOf(Match m) {
    if (m == null) {
      return RouteMatch.of(PathMatch.prefix("/"));
    }
    List<ValueMatch> headers =
        m.headersOrEmpty().stream()
            .map(
                h ->
                    new ValueMatch(
                        h.name().toLowerCase(Locale.ROOT), kindOf(h.typeOrDefault()), h.value()))
            .toList();
    List<ValueMatch> query =
        m.queryParamsOrEmpty().stream()
            .map(q -> new ValueMatch(q.name(), kindOf(q.typeOrDefault()), q.value()))
            .toList();
    return new RouteMatch(
        pathOf(m), headers, query, Optional.ofNullable(m.method()).map(Enum::name));
  }

  private static ValueMatch.Kind kindOf(ValueMatchType type) {
    return type == ValueMatchType.RegularExpression ? ValueMatch.Kind.REGEX : ValueMatch.Kind.EXACT;
  }

  private static PathMatch pathOf(Match m) {
    if (m.path() == null) {
      return PathMatch.prefix("/");
    }
    return switch (m.path().type()) {
      case Exact -> PathMatch.exact(m.path().value());
      case PathPrefix -> PathMatch.prefix(m.path().value());
      case RegularExpression -> PathMatch.regex(m.path().value());
    };
  }
}
