package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.BackendProtocol;
import dev.gantry.crds.v1alpha1.BackendRef;
import dev.gantry.crds.v1alpha1.BackendTls;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns ProxyRoutes into routes: validates each, resolves its backends, and reports what it found.
 * An invalid ProxyRoute is reported and left out; it never fails the compile.
 */
final class ProxyRouteProcessor {
  static final String KIND = "ProxyRoute";
  static final String ANY_HOST = "*";

  private final BackendIndex backends;
  private final TlsProcessor tls;
  private final RouteTlsProcessor routeTls;
  private final GraphBuilder graph;

  // TLS backends of the route being processed that are not verified; reported with it.
  private final Set<String> unverified = new HashSet<>();

  ProxyRouteProcessor(
      BackendIndex backends, TlsProcessor tls, RouteTlsProcessor routeTls, GraphBuilder graph) {
    this.backends = backends;
    this.tls = tls;
    this.routeTls = routeTls;
    this.graph = graph;
  }

  void process(ProxyRoute route) {
    String namespace = BackendIndex.namespaceOf(route.getMetadata().getNamespace());
    ObjectRef ref = new ObjectRef(KIND, namespace, route.getMetadata().getName());
    long generation = Objects.requireNonNullElse(route.getMetadata().getGeneration(), 0L);

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
      routeTls.passThrough(
          ref, hosts, tcpProxy(namespace, rules.getFirst(), unresolved), unresolved);
      graph.report(ObjectReport.accepted(ref, generation, unresolved));
      return;
    }
    // Hosts an older route passes through serve none of this route's rules.
    hosts = routeTls.notPassedThrough(hosts, unresolved);
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
                name, matchOf(m), action, filters, timeouts, RulePolicies.routePolicy(rule), ref);
        hosts.forEach(h -> graph.addRoute(h, r));
      }
    }
    if (routeTlsSpec != null) {
      routeTls.terminate(ref, namespace, hosts, routeTlsSpec, unresolved);
    }
    graph.report(ObjectReport.accepted(ref, generation, unresolved, unverified));
    unverified.clear();
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
      unverified.add(cluster.name());
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
