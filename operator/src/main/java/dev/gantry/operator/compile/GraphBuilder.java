package dev.gantry.operator.compile;

import dev.gantry.operator.ir.Cluster;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.Route;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.RouteGraph;
import dev.gantry.operator.ir.RouteMatch;
import dev.gantry.operator.ir.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collects what the processors emit and builds the route graph: routes sorted by {@link
 * #PRECEDENCE} within each host, the first claim on a (host, match) pair winning. Confined to one
 * compile.
 */
final class GraphBuilder {

  /** A route with the order in which processors offered it (oldest object, rule, match). */
  private record Candidate(String host, Route route, long offerOrder) {}

  /**
   * Orders the routes of one host; the dataplane takes the first that matches. Gateway API's
   * HTTPRoute precedence, extended to regular expressions:
   *
   * <ol>
   *   <li>an Exact path before any PathPrefix, a PathPrefix before any RegularExpression;
   *   <li>within a kind, the longer value first (the longest prefix; the longer pattern);
   *   <li>a route with a method match before one without;
   *   <li>more header matches first, then more query parameter matches first;
   *   <li>the oldest object first (creation time, then namespace/name), then rule order, then match
   *       order within the rule.
   * </ol>
   */
  static final Comparator<Route> PRECEDENCE =
      Comparator.comparing((Route r) -> r.match().path().kind())
          .thenComparing(r -> -r.match().path().value().length())
          .thenComparing(r -> r.match().method().isPresent() ? 0 : 1)
          .thenComparing(r -> -r.match().headers().size())
          .thenComparing(r -> -r.match().queryParams().size());

  private static final Comparator<Candidate> CANDIDATES =
      Comparator.comparing(Candidate::route, PRECEDENCE).thenComparingLong(Candidate::offerOrder);

  private final Map<String, List<Candidate>> byHost = new TreeMap<>();
  private final Map<String, Cluster> clusters = new TreeMap<>();
  private final Map<ObjectRef, ObjectReport> reports = new HashMap<>();
  private long offers;

  void addRoute(String host, Route route) {
    byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(new Candidate(host, route, offers++));
  }

  void addCluster(Cluster cluster) {
    clusters.putIfAbsent(cluster.name(), cluster);
  }

  void report(ObjectReport report) {
    reports.put(report.ref(), report);
  }

  CompileResult build() {
    List<VirtualHost> hosts = new ArrayList<>();
    Set<String> usedClusters = new HashSet<>();
    for (Map.Entry<String, List<Candidate>> e : byHost.entrySet()) {
      List<Candidate> sorted = new ArrayList<>(e.getValue());
      sorted.sort(CANDIDATES);
      Set<RouteMatch> claimed = new HashSet<>();
      List<Route> routes = new ArrayList<>();
      for (Candidate c : sorted) {
        // Oldest claim wins; later claims on the same host and match are shadowed.
        if (claimed.add(c.route().match())) {
          routes.add(c.route());
          if (c.route().action() instanceof RouteAction.Forward f) {
            f.clusters().forEach(w -> usedClusters.add(w.cluster()));
          }
          usedClusters.addAll(c.route().filters().mirrorClusters());
        }
      }
      hosts.add(new VirtualHost(e.getKey(), routes));
    }
    List<Cluster> used =
        clusters.values().stream().filter(c -> usedClusters.contains(c.name())).toList();
    return new CompileResult(new RouteGraph(hosts, used), reports);
  }
}
