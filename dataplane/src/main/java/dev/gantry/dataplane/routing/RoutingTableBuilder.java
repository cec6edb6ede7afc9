package dev.gantry.dataplane.routing;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.balance.LoadBalancer;
import dev.gantry.dataplane.balance.WeightedChoice;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.ForwardAction;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.WeightedCluster;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a snapshot into a {@link RoutingTable}: one balancer per cluster, routes resolved to
 * clusters, a host index over the virtual hosts. A pure function; runs on the thread that applies
 * the snapshot.
 */
final class RoutingTableBuilder {

  private RoutingTableBuilder() {}

  static RoutingTable build(Snapshot snapshot) {
    Map<String, UpstreamCluster> clusters = new HashMap<>();
    int endpoints = 0;
    for (Cluster cluster : snapshot.getClustersList()) {
      List<Endpoint> members = new ArrayList<>(cluster.getEndpointsCount());
      for (dev.gantry.protocol.v1.Endpoint endpoint : cluster.getEndpointsList()) {
        members.add(endpoint(cluster.getName(), endpoint));
      }
      endpoints += members.size();
      Duration connectTimeout = duration(cluster.getConnectTimeout());
      UpstreamCluster built =
          new UpstreamCluster(
              cluster.getName(),
              LoadBalancer.roundRobin(members),
              connectTimeout.isZero() ? UpstreamCluster.DEFAULT_CONNECT_TIMEOUT : connectTimeout,
              cluster.getEmptyReason());
      if (clusters.putIfAbsent(cluster.getName(), built) != null) {
        throw new IllegalArgumentException("cluster " + cluster.getName() + " is defined twice");
      }
    }
    List<VirtualHost> hosts = new ArrayList<>(snapshot.getVirtualHostsCount());
    int routes = 0;
    for (dev.gantry.protocol.v1.VirtualHost host : snapshot.getVirtualHostsList()) {
      List<Route> built = new ArrayList<>(host.getRoutesCount());
      for (dev.gantry.protocol.v1.Route route : host.getRoutesList()) {
        built.add(route(route, clusters));
      }
      routes += built.size();
      hosts.add(new VirtualHost(host.getName(), host.getDomainsList(), built));
    }
    RoutingTable.Stats stats =
        new RoutingTable.Stats(hosts.size(), routes, clusters.size(), endpoints);
    return new RoutingTable(
        snapshot.getVersion(), snapshot.getDigest(), new HostIndex(hosts), stats);
  }

  private static Route route(
      dev.gantry.protocol.v1.Route route, Map<String, UpstreamCluster> clusters) {
    try {
      return new Route(
          route.getName(),
          pathMatch(route.getMatch()),
          action(route, clusters),
          duration(route.getTimeouts().getRequest()),
          maxRequestBodyBytes(route.getMaxRequestBodyBytes()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("route " + route.getName() + ": " + e.getMessage(), e);
    }
  }

  /** Returns the body limit of an unsigned wire value; past {@code Long.MAX_VALUE} is no limit. */
  private static long maxRequestBodyBytes(long unsigned) {
    return unsigned < 0 ? 0 : unsigned;
  }

  private static PathMatch pathMatch(dev.gantry.protocol.v1.RouteMatch match) {
    return switch (match.getPathCase()) {
      case EXACT -> new PathMatch.Exact(match.getExact());
      case PREFIX -> new PathMatch.Prefix(match.getPrefix());
      case PATH_NOT_SET ->
          throw new IllegalArgumentException("no path match (expected: exact or prefix)");
    };
  }

  private static RouteAction action(
      dev.gantry.protocol.v1.Route route, Map<String, UpstreamCluster> clusters) {
    return switch (route.getActionCase()) {
      case FORWARD -> forward(route.getForward(), clusters);
      case DIRECT_RESPONSE ->
          new RouteAction.Respond(
              route.getDirectResponse().getStatus(),
              route.getDirectResponse().getBody().toByteArray(),
              route.getDirectResponse().getContentType());
      case ACTION_NOT_SET ->
          throw new IllegalArgumentException("no action (expected: forward or direct_response)");
    };
  }

  private static RouteAction forward(ForwardAction forward, Map<String, UpstreamCluster> clusters) {
    List<UpstreamCluster> targets = new ArrayList<>(forward.getClustersCount());
    List<Integer> weights = new ArrayList<>(forward.getClustersCount());
    for (WeightedCluster weighted : forward.getClustersList()) {
      UpstreamCluster target = clusters.get(weighted.getCluster());
      if (target == null) {
        throw new IllegalArgumentException("forwards to unknown cluster " + weighted.getCluster());
      }
      targets.add(target);
      weights.add((int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(weighted.getWeight())));
    }
    return new RouteAction.Forward(WeightedChoice.of(targets, weights));
  }

  /**
   * Returns the endpoint: a literal address as is, a DNS name unresolved (the pool resolves it per
   * connection, without blocking). Never looks a name up here. Endpoint weight 0 (unset) counts as
   * 1.
   */
  private static Endpoint endpoint(String cluster, dev.gantry.protocol.v1.Endpoint endpoint) {
    String address = endpoint.getAddress();
    if (!Endpoint.isValidHost(address)) {
      throw new IllegalArgumentException(
          "cluster "
              + cluster
              + ": endpoint address \""
              + address
              + "\" (expected: a literal IPv4 or IPv6 address or a DNS name)");
    }
    int port = endpoint.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "cluster "
              + cluster
              + ": endpoint "
              + address
              + " port "
              + Integer.toUnsignedLong(port)
              + " (expected: 1..65535)");
    }
    int weight =
        (int)
            Math.min(Integer.MAX_VALUE, Math.max(1, Integer.toUnsignedLong(endpoint.getWeight())));
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(address);
    if (literal == null) {
      return new Endpoint(InetSocketAddress.createUnresolved(address, port), weight);
    }
    try {
      return new Endpoint(new InetSocketAddress(InetAddress.getByAddress(literal), port), weight);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "cluster " + cluster + ": endpoint address \"" + address + "\"", e);
    }
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
