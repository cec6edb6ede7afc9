package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.operator.compile.annotation.IngressAnnotations;
import dev.gantry.operator.ir.Cluster;
import dev.gantry.operator.ir.Filters;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.PathMatch;
import dev.gantry.operator.ir.PathModifier;
import dev.gantry.operator.ir.Route;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.RouteMatch;
import dev.gantry.operator.ir.UpstreamTlsSettings;
import dev.gantry.operator.ir.ValueMatch;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an Ingress (networking.k8s.io/v1) into routes of the same graph as ProxyRoutes: a virtual
 * host per rule host ({@code *} for rules without one), a route per path (Exact; Prefix, segment by
 * segment; ImplementationSpecific as Prefix), the defaultBackend as the catch-all of the Ingress's
 * hosts and of hosts no rule names, and {@code spec.tls} through the same certificate checks as a
 * ProxyRoute's. What is wrong is reported, and the rest of the Ingress is served.
 */
final class IngressProcessor {
  static final String KIND = "Ingress";

  private static final Pattern HOST =
      Pattern.compile(
          "(\\*\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");
  private static final Pattern PATH = Pattern.compile("/[^?#\\s]*");

  private final BackendIndex backends;
  private final RouteTlsProcessor routeTls;
  private final GraphBuilder graph;

  private final NginxDefaults defaults;
  // What the defaults alone get wrong: reported once for the compile, not on every Ingress.
  private final List<Problem> defaultsProblems;

  IngressProcessor(
      BackendIndex backends,
      RouteTlsProcessor routeTls,
      GraphBuilder graph,
      NginxDefaults defaults) {
    this.backends = backends;
    this.routeTls = routeTls;
    this.graph = graph;
    this.defaults = defaults;
    this.defaultsProblems = IngressAnnotations.of(defaults.annotations()).problems();
    defaultsProblems.forEach(graph::problem);
  }

  void process(Ingress ingress) {
    String namespace = BackendIndex.namespaceOf(ingress.getMetadata().getNamespace());
    ObjectRef ref = new ObjectRef(KIND, namespace, ingress.getMetadata().getName());
    long generation = Objects.requireNonNullElse(ingress.getMetadata().getGeneration(), 0L);
    IngressSpec spec = ingress.getSpec();
    List<IngressRule> rules = spec == null || spec.getRules() == null ? List.of() : spec.getRules();
    if (spec == null || (rules.isEmpty() && spec.getDefaultBackend() == null)) {
      graph.report(
          ObjectReport.rejected(
              ref,
              generation,
              new Problem("Invalid", "spec: an Ingress needs rules or a defaultBackend")));
      return;
    }
    IngressPolicies policies =
        IngressPolicies.of(
            IngressAnnotations.of(defaults.under(ingress.getMetadata().getAnnotations())));
    if (policies.refusal().isPresent()) {
      graph.report(ObjectReport.rejected(ref, generation, policies.refusal().get()));
      return;
    }
    List<Problem> problems = new ArrayList<>(policies.problems());
    problems.removeAll(defaultsProblems);
    Set<String> hosts = new LinkedHashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      IngressRule rule = rules.get(i);
      String where = "spec.rules[" + i + "]";
      Optional<String> host = host(rule.getHost(), where, problems);
      if (host.isEmpty()) {
        continue;
      }
      List<String> served = routeTls.notPassedThrough(List.of(host.get()), problems);
      if (served.isEmpty()) {
        continue;
      }
      // server-alias: the rule's host answers under the aliases too.
      List<String> ruleHosts = new ArrayList<>(List.of(host.get()));
      if (!host.get().equals(ProxyRouteProcessor.ANY_HOST)) {
        ruleHosts.addAll(routeTls.notPassedThrough(policies.serverAliases(), problems));
      }
      hosts.addAll(ruleHosts);
      List<HTTPIngressPath> paths =
          rule.getHttp() == null || rule.getHttp().getPaths() == null
              ? List.of()
              : rule.getHttp().getPaths();
      for (int j = 0; j < paths.size(); j++) {
        String at = where + ".http.paths[" + j + "]";
        HTTPIngressPath path = paths.get(j);
        Optional<PathMatch> match = match(path, at, policies.regexPaths(), problems);
        Optional<Cluster> cluster =
            cluster(namespace, path.getBackend(), at + ".backend", policies, problems);
        if (match.isEmpty() || cluster.isEmpty()) {
          continue;
        }
        String name = ref + "/rule-" + i + "/path-" + j;
        if (policies.canary().isPresent()) {
          canary(name, match.get(), cluster.get(), policies, ref, ruleHosts);
          continue;
        }
        Route route = route(name, match.get(), cluster.get(), policies, ref);
        ruleHosts.forEach(h -> graph.addRoute(h, route));
      }
      // app-root: a request for / is sent to the application's root (the main Ingress's business).
      policies
          .appRoot()
          .filter(root -> policies.canary().isEmpty())
          .ifPresent(
              root ->
                  ruleHosts.forEach(
                      h ->
                          graph.addRoute(
                              h,
                              new Route(
                                  ref + "/app-root",
                                  RouteMatch.of(PathMatch.exact("/")),
                                  new RouteAction.Redirect(
                                      "",
                                      "",
                                      0,
                                      Optional.of(new PathModifier(PathModifier.Kind.FULL, root)),
                                      302),
                                  ref))));
    }
    // A canary shares its main Ingress's paths; its defaultBackend would claim hosts of its own.
    if (spec.getDefaultBackend() != null && policies.canary().isEmpty()) {
      cluster(namespace, spec.getDefaultBackend(), "spec.defaultBackend", policies, problems)
          .ifPresent(
              cluster -> {
                Route catchAll =
                    route(ref + "/default-backend", PathMatch.prefix("/"), cluster, policies, ref);
                // Behind every path of the Ingress's hosts, and for hosts no rule names.
                hosts.forEach(h -> graph.addRoute(h, catchAll));
                graph.addRoute(ProxyRouteProcessor.ANY_HOST, catchAll);
              });
    }
    tls(ref, namespace, spec, hosts, policies.httpsRedirect(), problems);
    graph.report(ObjectReport.accepted(ref, generation, problems));
  }

  /** Terminates TLS for the hosts of each {@code spec.tls} entry with its Secret. */
  private void tls(
      ObjectRef ref,
      String namespace,
      IngressSpec spec,
      Set<String> hosts,
      boolean httpsRedirect,
      List<Problem> problems) {
    List<IngressTLS> entries = spec.getTls() == null ? List.of() : spec.getTls();
    for (int k = 0; k < entries.size(); k++) {
      IngressTLS entry = entries.get(k);
      String where = "spec.tls[" + k + "].hosts";
      if (entry.getSecretName() == null || entry.getSecretName().isEmpty()) {
        continue; // the listener's default certificate serves these hosts
      }
      List<String> named =
          entry.getHosts() == null || entry.getHosts().isEmpty()
              ? hosts.stream().filter(h -> !h.equals(ProxyRouteProcessor.ANY_HOST)).toList()
              : entry.getHosts().stream()
                  .map(h -> host(h, where, problems))
                  .flatMap(Optional::stream)
                  .filter(h -> !h.equals(ProxyRouteProcessor.ANY_HOST))
                  .toList();
      routeTls.terminate(
          ref,
          namespace,
          routeTls.notPassedThrough(named, problems),
          new RouteTls(
              entry.getSecretName(),
              null,
              null,
              null,
              null,
              httpsRedirect,
              defaults.hsts().orElse(null),
              null),
          problems);
    }
  }

  /** A rule's host: absent or empty means every host. */
  private static Optional<String> host(String host, String where, List<Problem> problems) {
    if (host == null || host.isEmpty()) {
      return Optional.of(ProxyRouteProcessor.ANY_HOST);
    }
    if (!HOST.matcher(host).matches()) {
      problems.add(
          new Problem(
              "InvalidHost",
              where
                  + ".host: \""
                  + host
                  + "\" is not a lower-case DNS name or *.wildcard; the rule is not served"));
      return Optional.empty();
    }
    return Optional.of(host);
  }

  /**
   * A path's match. With {@code regex} (ingress-nginx's use-regex, or a rewrite-target) a Prefix or
   * ImplementationSpecific path is an RE2 pattern matched, as nginx's {@code location ~*}, from the
   * start of the path and without case.
   */
  private static Optional<PathMatch> match(
      HTTPIngressPath path, String at, boolean regex, List<Problem> problems) {
    String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
    String type = Objects.requireNonNullElse(path.getPathType(), "ImplementationSpecific");
    if (regex && !type.equals("Exact")) {
      Optional<String> bad = MatchValidator.checkPattern(at + ".path", value);
      if (bad.isEmpty()
          && (!value.startsWith("/") || value.chars().anyMatch(Character::isWhitespace))) {
        bad = Optional.of(at + ".path: \"" + value + "\" is not an absolute path pattern");
      }
      if (bad.isPresent()) {
        problems.add(new Problem("InvalidPath", bad.get() + "; the path is not served"));
        return Optional.empty();
      }
      return Optional.of(PathMatch.regex(nginxLocation(value) + ".*"));
    }
    if (!PATH.matcher(value).matches()) {
      problems.add(
          new Problem(
              "InvalidPath",
              at
                  + ".path: \""
                  + value
                  + "\" (expected: an absolute path without '?', '#' or spaces); the path is not"
                  + " served"));
      return Optional.empty();
    }
    return switch (type) {
      case "Exact" -> Optional.of(PathMatch.exact(value));
      case "Prefix", "ImplementationSpecific" -> Optional.of(PathMatch.prefix(value));
      default -> {
        problems.add(
            new Problem(
                "InvalidPath",
                at
                    + ".pathType: \""
                    + type
                    + "\" (expected: Exact, Prefix or ImplementationSpecific); the path is not"
                    + " served"));
        yield Optional.empty();
      }
    };
  }

  /**
   * The cluster of a Service backend, by port number or name. A missing Service or port still gives
   * a cluster (without endpoints: its requests answer 503) and a problem; a {@code resource}
   * backend gives nothing.
   */
  private Optional<Cluster> cluster(
      String namespace,
      IngressBackend backend,
      String at,
      IngressPolicies policies,
      List<Problem> problems) {
    if (backend == null || backend.getService() == null) {
      problems.add(
          new Problem(
              "UnsupportedBackend",
              at
                  + ": only Service backends are supported ("
                  + (backend != null && backend.getResource() != null
                      ? "resource " + backend.getResource().getKind()
                      : "none given")
                  + "); the path is not served"));
      return Optional.empty();
    }
    var service = backend.getService();
    var port = service.getPort();
    BackendIndex.Resolution resolution;
    if (port != null && port.getNumber() != null) {
      resolution = backends.resolve(namespace, service.getName(), port.getNumber());
    } else if (port != null && port.getName() != null && !port.getName().isEmpty()) {
      resolution = backends.resolveNamed(namespace, service.getName(), port.getName());
    } else {
      problems.add(
          new Problem(
              "InvalidBackend",
              at + ".service.port: needs a number or a name; the path is not served"));
      return Optional.empty();
    }
    resolution.problem().filter(p -> !problems.contains(p)).ifPresent(problems::add);
    UpstreamTlsSettings defaults = UpstreamTlsSettings.defaultFor(namespace, service.getName());
    Cluster cluster =
        resolution
            .cluster()
            .withTransport(policies.protocol().orElse(null), defaults, defaults)
            .withPolicy(policies.cluster());
    graph.addCluster(cluster);
    return Optional.of(cluster);
  }

  /**
   * A canary path (ingress-nginx's canary: "true"): requests with its header (value {@code always},
   * or the one given, or matching the pattern) or its cookie set to {@code always} go to its
   * cluster; of the rest, its weight's share of the route that serves the same host and path.
   */
  private void canary(
      String name,
      PathMatch match,
      Cluster cluster,
      IngressPolicies policies,
      ObjectRef ref,
      List<String> hosts) {
    IngressAnnotations.Canary canary = policies.canary().orElseThrow();
    List<ValueMatch> selectors = new ArrayList<>();
    canary
        .header()
        .ifPresent(
            header -> {
              String lower = header.toLowerCase(java.util.Locale.ROOT);
              if (canary.headerValue().isPresent()) {
                selectors.add(
                    new ValueMatch(lower, ValueMatch.Kind.EXACT, canary.headerValue().get()));
              } else if (canary.headerPattern().isPresent()) {
                selectors.add(
                    new ValueMatch(lower, ValueMatch.Kind.REGEX, canary.headerPattern().get()));
              } else {
                selectors.add(new ValueMatch(lower, ValueMatch.Kind.EXACT, "always"));
              }
            });
    canary
        .cookie()
        .ifPresent(
            cookie ->
                selectors.add(
                    new ValueMatch(
                        "cookie",
                        ValueMatch.Kind.REGEX,
                        "(.*;\\s*)?"
                            + ProxyRouteProcessor.quoteRe2(cookie)
                            + "=always(\\s*;.*)?")));
    for (int k = 0; k < selectors.size(); k++) {
      Route selected =
          route(name + "/canary-" + k, match, cluster, policies, ref)
              .withMatch(
                  new RouteMatch(match, List.of(selectors.get(k)), List.of(), Optional.empty()));
      hosts.forEach(h -> graph.addRoute(h, selected));
    }
    if (canary.weight().isPresent() && canary.weight().getAsInt() > 0) {
      hosts.forEach(
          h ->
              graph.addCanary(
                  h,
                  RouteMatch.of(match),
                  new GraphBuilder.CanaryClaim(
                      cluster.name(), canary.weight().getAsInt(), canary.weightTotal(), ref)));
    }
  }

  /** An nginx regex location's pattern, {@code ~*}: without case. */
  static String nginxLocation(String path) {
    return "(?i)" + path;
  }

  /** A path's route: to its cluster, or where the Ingress's redirect annotation says. */
  private static Route route(
      String name, PathMatch match, Cluster cluster, IngressPolicies policies, ObjectRef ref) {
    RouteAction action =
        policies.redirect().isPresent()
            ? policies.redirect().get()
            : new RouteAction.Forward(List.of(new RouteAction.WeightedCluster(cluster.name(), 1)));
    Filters filters = policies.filters();
    if (policies.rewriteTarget().isPresent() && match.kind() == PathMatch.Kind.REGEX) {
      // The path pattern, as matched from the start; its groups are the target's $1..$9.
      String pattern = match.value().substring(0, match.value().length() - ".*".length());
      filters =
          new Filters(
              filters.requestHeaders(),
              filters.responseHeaders(),
              filters.rewriteHostname(),
              Optional.of(
                  new PathModifier(
                      PathModifier.Kind.REGEX, policies.rewriteTarget().get(), pattern)),
              filters.mirrorClusters());
    }
    return new Route(
        name, RouteMatch.of(match), action, filters, policies.timeouts(), policies.route(), ref);
  }
}
