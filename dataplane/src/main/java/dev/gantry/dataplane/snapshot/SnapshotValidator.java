package dev.gantry.dataplane.snapshot;

import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.Endpoint;
import dev.gantry.protocol.v1.HashPolicy;
import dev.gantry.protocol.v1.LbPolicy;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.UpstreamProtocol;
import dev.gantry.protocol.v1.UpstreamTls;
import dev.gantry.protocol.v1.VirtualHost;
import dev.gantry.protocol.v1.WeightedCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds what in a snapshot this dataplane cannot serve correctly, as sentences a person can act on.
 * An empty list means the snapshot may be applied. A pure function of the snapshot; safe from any
 * thread.
 */
final class SnapshotValidator {

  private SnapshotValidator() {}

  /** Returns every problem found in {@code snapshot}, in snapshot order; empty when it is valid. */
  static List<String> problems(Snapshot snapshot) {
    List<String> problems = new ArrayList<>();
    Set<String> clusters = new HashSet<>();
    Set<String> certificates = new HashSet<>();
    snapshot.getCertificatesList().forEach(c -> certificates.add(c.getName()));
    for (Cluster cluster : snapshot.getClustersList()) {
      checkCluster(cluster, problems);
      checkUpstreamTls(cluster, certificates, problems);
      if (!clusters.add(cluster.getName())) {
        problems.add("cluster " + cluster.getName() + " is defined twice");
      }
    }
    Map<String, String> domainOwners = new HashMap<>();
    Set<String> hostNames = new HashSet<>();
    for (VirtualHost host : snapshot.getVirtualHostsList()) {
      if (!hostNames.add(host.getName())) {
        problems.add("virtual host " + host.getName() + " is defined twice");
      }
      for (String domain : host.getDomainsList()) {
        checkDomain(host, domain, domainOwners, problems);
      }
      for (Route route : host.getRoutesList()) {
        checkRoute(host, route, clusters, problems);
      }
    }
    return problems;
  }

  /** Joins problems into one NACK reason, keeping the first few. */
  static String reason(List<String> problems) {
    int shown = Math.min(problems.size(), 5);
    String reason = String.join("; ", problems.subList(0, shown));
    return problems.size() > shown
        ? reason + "; and " + (problems.size() - shown) + " more"
        : reason;
  }

  /**
   * Checks the references of a cluster's TLS settings. Whether its PEM material parses is not
   * checked here: a bad CA bundle or key takes only that cluster out of service (see the routing
   * table), never the whole snapshot.
   */
  private static void checkUpstreamTls(
      Cluster cluster, Set<String> certificates, List<String> problems) {
    if (!cluster.hasTls()) {
      return;
    }
    UpstreamTls tls = cluster.getTls();
    if (tls.getServerName().isEmpty() && !tls.getInsecureSkipVerify()) {
      problems.add(
          "cluster "
              + cluster.getName()
              + " has TLS without a server_name (required unless insecure_skip_verify)");
    }
    if (!tls.getClientCertificate().isEmpty()
        && !certificates.contains(tls.getClientCertificate())) {
      problems.add(
          "cluster "
              + cluster.getName()
              + " presents client certificate "
              + tls.getClientCertificate()
              + ", which the snapshot does not carry");
    }
  }

  private static void checkCluster(Cluster cluster, List<String> problems) {
    String name = cluster.getName();
    if (name.isEmpty()) {
      problems.add("a cluster has no name");
    }
    if (cluster.getLbPolicy() == LbPolicy.UNRECOGNIZED) {
      problems.add(
          "cluster "
              + name
              + " has an lb_policy this dataplane does not know ("
              + cluster.getLbPolicyValue()
              + ")");
    }
    if (cluster.getProtocol() == UpstreamProtocol.UNRECOGNIZED) {
      problems.add(
          "cluster "
              + name
              + " has a protocol this dataplane does not know ("
              + cluster.getProtocolValue()
              + ")");
    }
    if (cluster.getConnectTimeout().getSeconds() < 0
        || cluster.getConnectTimeout().getNanos() < 0) {
      problems.add("cluster " + name + " has a negative connect_timeout");
    }
    ClusterHealthValidator.checkCluster(cluster, problems);
    for (Endpoint endpoint : cluster.getEndpointsList()) {
      String address = endpoint.getAddress();
      if (!dev.gantry.dataplane.balance.Endpoint.isValidHost(address)) {
        problems.add(
            "cluster "
                + name
                + " has an endpoint whose address \""
                + address
                + "\" is neither an IP address nor a DNS name");
      }
      long port = Integer.toUnsignedLong(endpoint.getPort());
      if (port < 1 || port > 65535) {
        problems.add(
            "cluster "
                + name
                + " has an endpoint "
                + address
                + " with port "
                + port
                + " (expected 1..65535)");
      }
    }
  }

  private static void checkDomain(
      VirtualHost host, String domain, Map<String, String> owners, List<String> problems) {
    String normalized = domain.toLowerCase(Locale.ROOT);
    boolean wellFormed =
        normalized.equals("*")
            || (normalized.startsWith("*.")
                && normalized.length() > 2
                && normalized.indexOf('*', 1) < 0)
            || (!normalized.isEmpty() && normalized.indexOf('*') < 0);
    if (!wellFormed) {
      problems.add(
          "virtual host "
              + host.getName()
              + " has domain \""
              + domain
              + "\" (expected a host name, *.suffix or *)");
      return;
    }
    String owner = owners.putIfAbsent(normalized, host.getName());
    if (owner != null) {
      problems.add(
          "domain " + domain + " is claimed by virtual hosts " + owner + " and " + host.getName());
    }
  }

  private static void checkRoute(
      VirtualHost host, Route route, Set<String> clusters, List<String> problems) {
    String where = "route " + route.getName() + " of virtual host " + host.getName();
    RouteMatchValidator.check(where, route.getMatch(), problems);
    switch (route.getActionCase()) {
      case FORWARD -> checkForward(where, route, clusters, problems);
      case DIRECT_RESPONSE -> {
        long status = Integer.toUnsignedLong(route.getDirectResponse().getStatus());
        if (status < 200 || status > 599) {
          problems.add(
              where + " has a direct response with status " + status + " (expected 200..599)");
        }
      }
      case REDIRECT -> RouteFilterValidator.checkRedirect(where, route, problems);
      case ACTION_NOT_SET ->
          problems.add(where + " has no action (or one this dataplane does not know)");
    }
    RouteFilterValidator.check(where, route, clusters, problems);
    ClusterHealthValidator.checkSession(where, route, problems);
    if (route.getTimeouts().getRequest().getSeconds() < 0
        || route.getTimeouts().getRequest().getNanos() < 0) {
      problems.add(where + " has a negative request timeout");
    }
    if (route.getTimeouts().getBackendRequest().getSeconds() < 0
        || route.getTimeouts().getBackendRequest().getNanos() < 0) {
      problems.add(where + " has a negative backend_request timeout");
    }
  }

  private static void checkForward(
      String where, Route route, Set<String> clusters, List<String> problems) {
    List<WeightedCluster> targets = route.getForward().getClustersList();
    if (targets.isEmpty()) {
      problems.add(where + " forwards to no cluster");
      return;
    }
    boolean anyWeight = false;
    for (WeightedCluster target : targets) {
      if (!clusters.contains(target.getCluster())) {
        problems.add(where + " forwards to unknown cluster " + target.getCluster());
      }
      anyWeight |= target.getWeight() != 0;
    }
    if (!anyWeight) {
      problems.add(where + " gives every cluster weight 0 (expected at least one above 0)");
    }
    for (HashPolicy policy : route.getHashPolicyList()) {
      boolean named =
          switch (policy.getKindCase()) {
            case HEADER -> !policy.getHeader().isBlank();
            case COOKIE -> !policy.getCookie().isBlank();
            case SOURCE_IP -> true;
            case KIND_NOT_SET -> false;
          };
      if (!named) {
        problems.add(
            where + " has a hash_policy without a header or cookie name (or of an unknown kind)");
      }
    }
  }
}
