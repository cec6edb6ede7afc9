package dev.gantry.operator.compile;

import dev.gantry.operator.ir.Cluster;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.PathMatch;
import dev.gantry.operator.ir.Route;
import dev.gantry.operator.ir.RouteGraph;
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
 * Collects what the processors emit and builds the route graph: routes sorted by precedence within
 * each host, the first claim on a (host, match) pair winning. Confined to one compile.
 */
final class GraphBuilder {

  /**
   * A route with its place in precedence: Exact before PathPrefix, longer values first, then the
   * order in which processors offered it (oldest object first).
   */
  private record Candidate(String host, Route route, long offerOrder) {}

  private static final Comparator<Candidate> PRECEDENCE =
      Comparator.comparing(
              (Candidate c) -> c.route().match().kind() == PathMatch.Kind.EXACT ? 0 : 1)
          .thenComparing(c -> -c.route().match().value().length())
          .thenComparing(c -> c.route().match().value())
          .thenComparingLong(Candidate::offerOrder);

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
      sorted.sort(PRECEDENCE);
      Set<PathMatch> claimed = new HashSet<>();
      List<Route> routes = new ArrayList<>();
      for (Candidate c : sorted) {
        // Oldest claim wins; later claims on the same host and match are shadowed.
        if (claimed.add(c.route().match())) {
          routes.add(c.route());
          if (c.route().action() instanceof dev.gantry.operator.ir.RouteAction.Forward f) {
            f.clusters().forEach(w -> usedClusters.add(w.cluster()));
          }
        }
      }
      hosts.add(new VirtualHost(e.getKey(), routes));
    }
    List<Cluster> used =
        clusters.values().stream().filter(c -> usedClusters.contains(c.name())).toList();
    return new CompileResult(new RouteGraph(hosts, used), reports);
  }
}
