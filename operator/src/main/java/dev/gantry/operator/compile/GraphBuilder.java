package dev.gantry.operator.compile;

import dev.gantry.operator.ir.Cluster;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.Route;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.RouteGraph;
import dev.gantry.operator.ir.RouteMatch;
import dev.gantry.operator.ir.TlsCertificate;
import dev.gantry.operator.ir.TlsPolicy;
import dev.gantry.operator.ir.VirtualHost;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects what the processors emit and builds the route graph: routes sorted by {@link
 * #PRECEDENCE} within each host, the first claim on a (host, match) pair winning, and the first
 * claim on a host's TLS (a certificate and policy, or passthrough) winning too. Confined to one
 * compile.
 */
final class GraphBuilder {

  /** How a host's TLS is served, as a route asked for it. */
  record TlsClaim(HostTls tls, ObjectRef owner) {}

  /**
   * A canary's share of whichever route holds a host and match: {@code weight} of {@code total}
   * requests go to {@code cluster} (ingress-nginx's canary-weight).
   */
  record CanaryClaim(String cluster, int weight, int total, ObjectRef source) {}

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
  private final Map<String, TlsClaim> tlsClaims = new HashMap<>();
  private final List<Problem> problems = new ArrayList<>();
  private final Map<ObjectRef, List<Problem>> conflicts = new TreeMap<>();
  private final Map<String, Map<RouteMatch, CanaryClaim>> canaries = new HashMap<>();
  private final Set<CanaryClaim> appliedCanaries = new HashSet<>();
  private TlsCertificate defaultCertificate;
  private final Map<String, TlsCertificate> clientCertificates = new HashMap<>();
  private Instant recompileAt;
  private long offers;

  /** Notes that {@code loser}'s claim on {@code host} and {@code match} went to {@code holder}. */
  private void conflict(ObjectRef loser, String host, RouteMatch match, ObjectRef holder) {
    conflicts
        .computeIfAbsent(loser, l -> new ArrayList<>())
        .add(
            new Problem(
                ClaimConflicts.CONFLICT,
                (host.equals("*") ? "every host" : host)
                    + ", "
                    + describe(match)
                    + ": already served by the older "
                    + holder.kind()
                    + " "
                    + holder.namespace()
                    + "/"
                    + holder.name()
                    + ", which wins (oldest first); this object's claim is not served"));
  }

  private static String describe(RouteMatch match) {
    String path =
        switch (match.path().kind()) {
              case EXACT -> "Exact ";
              case PREFIX -> "PathPrefix ";
              case REGEX -> "RegularExpression ";
            }
            + match.path().value();
    boolean more =
        match.method().isPresent() || !match.headers().isEmpty() || !match.queryParams().isEmpty();
    return more ? path + " (with the same method, header and query conditions)" : path;
  }

  /**
   * Asks for a share of the route that holds {@code host} and {@code match}; the oldest ask wins.
   */
  void addCanary(String host, RouteMatch match, CanaryClaim claim) {
    canaries.computeIfAbsent(host, h -> new HashMap<>()).putIfAbsent(match, claim);
  }

  /**
   * Returns {@code route} with the canary of its host and match, if one asked, taking its share:
   * each of the route's clusters keeps {@code total - weight} of its weight, the canary's cluster
   * gets {@code weight} times theirs.
   */
  private Route withCanary(String host, Route route, Set<String> used) {
    CanaryClaim canary = canaries.getOrDefault(host, Map.of()).get(route.match());
    if (canary == null
        || canary.source().equals(route.source())
        || !(route.action() instanceof RouteAction.Forward forward)) {
      return route;
    }
    appliedCanaries.add(canary);
    used.add(canary.cluster());
    long sum = forward.clusters().stream().mapToLong(RouteAction.WeightedCluster::weight).sum();
    List<long[]> weights = new ArrayList<>();
    for (RouteAction.WeightedCluster w : forward.clusters()) {
      weights.add(new long[] {w.weight() * (long) (canary.total() - canary.weight())});
    }
    long canaryWeight = canary.weight() * Math.max(sum, 1);
    long max = Math.max(canaryWeight, weights.stream().mapToLong(w -> w[0]).max().orElse(0));
    long scale = Math.max(1, (max + 999_999) / 1_000_000); // weights stay within the snapshot's
    List<RouteAction.WeightedCluster> split = new ArrayList<>();
    for (int i = 0; i < forward.clusters().size(); i++) {
      split.add(
          new RouteAction.WeightedCluster(
              forward.clusters().get(i).cluster(), (int) (weights.get(i)[0] / scale)));
    }
    split.add(new RouteAction.WeightedCluster(canary.cluster(), (int) (canaryWeight / scale)));
    return new Route(
        route.name(),
        route.match(),
        new RouteAction.Forward(split),
        route.filters(),
        route.timeouts(),
        route.policy(),
        route.source());
  }

  void addRoute(String host, Route route) {
    byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(new Candidate(host, route, offers++));
  }

  void addCluster(Cluster cluster) {
    clusters.putIfAbsent(cluster.name(), cluster);
  }

  void report(ObjectReport report) {
    reports.put(report.ref(), report);
  }

  /** Records a problem that belongs to no object, such as an unusable default certificate. */
  void problem(Problem problem) {
    problems.add(problem);
  }

  /**
   * Serves {@code host}'s TLS as {@code tls} unless an earlier claim asked for something else;
   * returns that claim if one did.
   */
  Optional<TlsClaim> claimTls(String host, HostTls tls, ObjectRef owner) {
    TlsClaim held = tlsClaims.putIfAbsent(host, new TlsClaim(tls, owner));
    if (held == null || held.tls().equals(tls)) {
      return Optional.empty();
    }
    return Optional.of(held);
  }

  /** Returns the claim that holds {@code host}'s TLS, if one does. */
  Optional<TlsClaim> tlsClaim(String host) {
    return Optional.ofNullable(tlsClaims.get(host));
  }

  /** Returns the route whose passthrough claim holds {@code host}, if one does. */
  Optional<ObjectRef> passthroughOwner(String host) {
    return tlsClaim(host)
        .filter(held -> held.tls() instanceof HostTls.Passthrough)
        .map(TlsClaim::owner);
  }

  /** Returns the route that first offered a route for {@code host}, if any did. */
  Optional<ObjectRef> routesOwner(String host) {
    List<Candidate> offered = byHost.get(host);
    return offered == null || offered.isEmpty()
        ? Optional.empty()
        : Optional.of(offered.getFirst().route().source());
  }

  /** Notes that the compile's outcome changes at {@code instant}; the earliest such wins. */
  void recompileAt(Instant instant) {
    if (recompileAt == null || instant.isBefore(recompileAt)) {
      recompileAt = instant;
    }
  }

  /** Ships {@code certificate} even if no host names it. */
  void defaultCertificate(TlsCertificate certificate) {
    this.defaultCertificate = certificate;
  }

  /** Ships {@code certificate}, which the dataplane presents to a TLS backend. */
  void clientCertificate(TlsCertificate certificate) {
    clientCertificates.put(certificate.name(), certificate);
  }

  CompileResult build() {
    List<VirtualHost> hosts = new ArrayList<>();
    Set<String> usedClusters = new HashSet<>();
    Map<String, TlsCertificate> shipped = new TreeMap<>(); // by name: sorted, each once
    Set<String> names = new TreeSet<>(byHost.keySet());
    names.addAll(tlsClaims.keySet());
    for (String host : names) {
      TlsClaim claim = tlsClaims.get(host);
      if (claim != null && claim.tls() instanceof HostTls.Passthrough p) {
        p.tcpProxy().clusters().forEach(w -> usedClusters.add(w.cluster()));
        hosts.add(
            new VirtualHost(
                host,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.of(p.tcpProxy())));
        continue;
      }
      List<Candidate> sorted = new ArrayList<>(byHost.getOrDefault(host, List.of()));
      sorted.sort(CANDIDATES);
      Map<RouteMatch, ObjectRef> claimed = new HashMap<>();
      List<Route> routes = new ArrayList<>();
      for (Candidate c : sorted) {
        // Oldest claim wins; later claims on the same host and match are shadowed, and another
        // object's shadowed claim is reported on it.
        ObjectRef holder = claimed.putIfAbsent(c.route().match(), c.route().source());
        if (holder != null && !holder.equals(c.route().source())) {
          conflict(c.route().source(), host, c.route().match(), holder);
        }
        if (holder == null) {
          Route served = withCanary(host, c.route(), usedClusters);
          routes.add(served);
          if (served.action() instanceof RouteAction.Forward f) {
            f.clusters().forEach(w -> usedClusters.add(w.cluster()));
          }
          usedClusters.addAll(c.route().filters().mirrorClusters());
        }
      }
      if (claim != null && claim.tls() instanceof HostTls.Terminated t) {
        shipped.putIfAbsent(t.certificate().name(), t.certificate());
        hosts.add(
            new VirtualHost(
                host,
                routes,
                Optional.of(t.certificate().name()),
                // Absent means the defaults: most hosts send nothing.
                Optional.of(t.policy()).filter(policy -> !policy.equals(TlsPolicy.DEFAULT)),
                t.httpsRedirect(),
                t.hsts(),
                Optional.empty()));
      } else {
        hosts.add(new VirtualHost(host, routes));
      }
    }
    if (defaultCertificate != null) {
      shipped.putIfAbsent(defaultCertificate.name(), defaultCertificate);
    }
    List<Cluster> used =
        clusters.values().stream().filter(c -> usedClusters.contains(c.name())).toList();
    for (Cluster c : used) {
      c.tls()
          .map(t -> clientCertificates.get(t.clientCertificate()))
          .ifPresent(cert -> shipped.putIfAbsent(cert.name(), cert));
    }
    // A canary whose host and path no route serves has nothing to share.
    canaries.forEach(
        (host, byMatch) ->
            byMatch.forEach(
                (match, claim) -> {
                  if (!appliedCanaries.contains(claim)) {
                    conflicts
                        .computeIfAbsent(claim.source(), l -> new ArrayList<>())
                        .add(
                            new Problem(
                                "CanaryWithoutMain",
                                (host.equals("*") ? "every host" : host)
                                    + ", "
                                    + describe(match)
                                    + ": no route serves it, so this canary has no traffic to"
                                    + " share; it is not served"));
                  }
                }));
    conflicts.forEach(
        (loser, found) -> {
          ObjectReport report = reports.get(loser);
          if (report != null && report.isAccepted()) {
            List<Problem> unresolved = new ArrayList<>(report.unresolvedRefs());
            found.stream().distinct().filter(p -> !unresolved.contains(p)).forEach(unresolved::add);
            reports.put(
                loser,
                new ObjectReport(
                    report.ref(),
                    report.generation(),
                    report.rejection(),
                    unresolved,
                    report.unverifiedBackends()));
          }
        });
    return new CompileResult(
        new RouteGraph(hosts, used, List.copyOf(shipped.values())),
        reports,
        problems,
        Optional.ofNullable(recompileAt));
  }
}
