package dev.gantry.dataplane.testing;

import com.google.protobuf.ByteString;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.DirectResponse;
import dev.gantry.protocol.v1.Endpoint;
import dev.gantry.protocol.v1.ForwardAction;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.RouteMatch;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.Timeouts;
import dev.gantry.protocol.v1.TlsCertificate;
import dev.gantry.protocol.v1.VirtualHost;
import dev.gantry.protocol.v1.WeightedCluster;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/** Builds protocol snapshots for tests, the way the operator would send them. */
public final class Snapshots {

  private Snapshots() {}

  /**
   * Returns {@code builder} built with {@code version} and the digest the operator would compute.
   */
  public static Snapshot finish(Snapshot.Builder builder, long version) {
    Snapshot content = builder.clone().clearVersion().clearDigest().build();
    return content.toBuilder().setVersion(version).setDigest(digest(content)).build();
  }

  /** Returns a snapshot of {@code version} with the given hosts and clusters. */
  public static Snapshot snapshot(long version, List<VirtualHost> hosts, List<Cluster> clusters) {
    return finish(
        Snapshot.newBuilder().addAllVirtualHosts(hosts).addAllClusters(clusters), version);
  }

  /**
   * Returns a snapshot of {@code version} with the given hosts, clusters and TLS certificates (the
   * operator sends them sorted by name).
   */
  public static Snapshot snapshot(
      long version,
      List<VirtualHost> hosts,
      List<Cluster> clusters,
      List<TlsCertificate> certificates) {
    return finish(
        Snapshot.newBuilder()
            .addAllVirtualHosts(hosts)
            .addAllClusters(clusters)
            .addAllCertificates(
                certificates.stream()
                    .sorted(java.util.Comparator.comparing(TlsCertificate::getName))
                    .toList()),
        version);
  }

  /** Returns {@code host} served over TLS with the certificate named {@code certificate}. */
  public static VirtualHost withCertificate(VirtualHost host, String certificate) {
    return host.toBuilder().setCertificate(certificate).build();
  }

  public static VirtualHost host(String name, List<String> domains, Route... routes) {
    return VirtualHost.newBuilder()
        .setName(name)
        .addAllDomains(domains)
        .addAllRoutes(List.of(routes))
        .build();
  }

  /** Returns a route forwarding paths under {@code prefix} to {@code cluster}. */
  public static Route prefix(String name, String prefix, String cluster) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
        .setForward(ForwardAction.newBuilder().addClusters(weighted(cluster, 1)))
        .build();
  }

  /** Returns a route forwarding exactly {@code path} to {@code cluster}. */
  public static Route exact(String name, String path, String cluster) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setExact(path))
        .setForward(ForwardAction.newBuilder().addClusters(weighted(cluster, 1)))
        .build();
  }

  /** Returns a route splitting paths under {@code prefix} across weighted clusters. */
  public static Route split(String name, String prefix, WeightedCluster... clusters) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
        .setForward(ForwardAction.newBuilder().addAllClusters(List.of(clusters)))
        .build();
  }

  /** Returns a route answering paths under {@code prefix} itself. */
  public static Route direct(String name, String prefix, int status, String body) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
        .setDirectResponse(
            DirectResponse.newBuilder()
                .setStatus(status)
                .setBody(ByteString.copyFrom(body, StandardCharsets.UTF_8)))
        .build();
  }

  /** Returns {@code route} with a request timeout. */
  public static Route withTimeout(Route route, Duration timeout) {
    return route.toBuilder()
        .setTimeouts(
            Timeouts.newBuilder()
                .setRequest(
                    com.google.protobuf.Duration.newBuilder()
                        .setSeconds(timeout.getSeconds())
                        .setNanos(timeout.getNano())))
        .build();
  }

  /** Returns {@code route} with a request body limit. */
  public static Route withBodyLimit(Route route, long maxRequestBodyBytes) {
    return route.toBuilder().setMaxRequestBodyBytes(maxRequestBodyBytes).build();
  }

  public static WeightedCluster weighted(String cluster, int weight) {
    return WeightedCluster.newBuilder().setCluster(cluster).setWeight(weight).build();
  }

  /**
   * Returns a cluster over the given endpoints (an unresolved one is sent as its DNS name), each of
   * weight 1.
   */
  public static Cluster cluster(String name, InetSocketAddress... endpoints) {
    Cluster.Builder cluster = Cluster.newBuilder().setName(name);
    for (InetSocketAddress endpoint : endpoints) {
      String address =
          endpoint.isUnresolved()
              ? endpoint.getHostString()
              : endpoint.getAddress().getHostAddress();
      cluster.addEndpoints(
          Endpoint.newBuilder().setAddress(address).setPort(endpoint.getPort()).setWeight(1));
    }
    return cluster.build();
  }

  /** Returns a cluster spoken to over cleartext HTTP/2 (h2c), over the given endpoints. */
  public static Cluster h2cCluster(String name, InetSocketAddress... endpoints) {
    return cluster(name, endpoints).toBuilder()
        .setProtocol(dev.gantry.protocol.v1.UpstreamProtocol.UPSTREAM_PROTOCOL_H2C)
        .build();
  }

  /** Returns the hex SHA-256 of the snapshot's bytes with version and digest cleared. */
  public static String digest(Snapshot snapshot) {
    try {
      byte[] bytes = snapshot.toBuilder().clearVersion().clearDigest().build().toByteArray();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
