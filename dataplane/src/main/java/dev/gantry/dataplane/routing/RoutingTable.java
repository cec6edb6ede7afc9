package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.tls.ServerNameIndex;
import dev.gantry.protocol.v1.Snapshot;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "which route serves this host and path" for one snapshot. Built once per snapshot and
 * never mutated: a new snapshot builds a new table and {@link RoutingTableHolder} swaps it in
 * whole, so a request keeps the table it started with.
 *
 * <p>Safe from any thread; lookups take no lock and allocate at most a few substrings for wildcard
 * hosts.
 */
public final class RoutingTable {

  private static final RoutingTable EMPTY =
      new RoutingTable(
          0,
          "",
          new HostIndex(List.of()),
          new ServerNameIndex<>(Map.of()),
          Stats.NONE,
          List.of(),
          Map.of());

  private final long version;
  private final String digest;
  private final HostIndex hosts;

  /** By TLS server name: a passthrough host's route, or empty for a host TLS terminates. */
  private final ServerNameIndex<Optional<TcpProxyRoute>> passthrough;

  private final Stats stats;
  private final List<UpstreamCluster> clusters;

  /** The routes' rate limiters by route name, kept by the next table while a limit is unchanged. */
  private final Map<String, RateLimiter> rateLimiters;

  RoutingTable(
      long version,
      String digest,
      HostIndex hosts,
      ServerNameIndex<Optional<TcpProxyRoute>> passthrough,
      Stats stats,
      List<UpstreamCluster> clusters,
      Map<String, RateLimiter> rateLimiters) {
    this.version = version;
    this.digest = requireNonNull(digest, "digest");
    this.hosts = requireNonNull(hosts, "hosts");
    this.passthrough = requireNonNull(passthrough, "passthrough");
    this.stats = requireNonNull(stats, "stats");
    this.clusters = List.copyOf(requireNonNull(clusters, "clusters"));
    this.rateLimiters = Map.copyOf(requireNonNull(rateLimiters, "rateLimiters"));
  }

  /** Returns the table served before any snapshot was applied: version 0, no routes. */
  public static RoutingTable empty() {
    return EMPTY;
  }

  /**
   * Builds the table for {@code snapshot}.
   *
   * @throws IllegalArgumentException when the snapshot is inconsistent (the message names what and
   *     where); callers validate first, this is the last line of defence
   */
  public static RoutingTable from(Snapshot snapshot) {
    return from(snapshot, EMPTY);
  }

  /**
   * As {@link #from(Snapshot)}, reusing what {@code previous} built that has not changed: the TLS
   * contexts of clusters whose settings are the same.
   */
  public static RoutingTable from(Snapshot snapshot, RoutingTable previous) {
    return RoutingTableBuilder.build(snapshot, previous);
  }

  /**
   * Returns the route for a GET request without headers or query string, or {@code null}; see
   * {@link #route(String, String, HttpMethod, HttpHeaders, String)}.
   */
  public Route route(String authority, String path) {
    return route(authority, path, HttpMethod.GET, EmptyHttpHeaders.INSTANCE, path);
  }

  /**
   * Returns the route for a request, or {@code null} when no virtual host or no route matches.
   *
   * @param authority the Host header (or absolute-form authority) as received: port and case do not
   *     matter
   * @param path the request path without query string
   * @param method the request method
   * @param headers the request headers, read only
   * @param target the request target in origin form ({@code path?query}), read only when a route
   *     has query parameter conditions
   */
  public Route route(
      String authority, String path, HttpMethod method, HttpHeaders headers, String target) {
    VirtualHost host = hosts.findByAuthority(authority);
    return host == null ? null : host.match(path, method, headers, target);
  }

  /**
   * Returns where a TLS connection whose ClientHello names {@code serverName} is relayed without
   * being terminated, or {@code null} when it is terminated (or names nothing, or no name was
   * sent). Names are matched as certificates are (exact, then one-label wildcard) over passthrough
   * hosts and hosts with a certificate together, so an exact terminated name wins over a
   * passthrough wildcard and the other way round.
   */
  public TcpProxyRoute passthrough(String serverName) {
    Optional<TcpProxyRoute> found = passthrough.find(serverName);
    return found == null ? null : found.orElse(null);
  }

  /**
   * Returns the virtual host serving {@code authority} (the Host header or absolute-form authority
   * as received: port and case do not matter), or {@code null}. Allocates nothing.
   */
  public VirtualHost host(String authority) {
    return hosts.findByAuthority(authority);
  }

  /** Returns the snapshot version, 0 for the {@linkplain #empty() empty} table. */
  public long version() {
    return version;
  }

  /** Returns the snapshot digest, empty for the {@linkplain #empty() empty} table. */
  public String digest() {
    return digest;
  }

  /** Returns every cluster of the snapshot, in no particular order. */
  /** Returns the routes' rate limiters by route name. */
  Map<String, RateLimiter> rateLimiters() {
    return rateLimiters;
  }

  public List<UpstreamCluster> clusters() {
    return clusters;
  }

  /** Returns how much the snapshot holds, for the admin endpoint and logs. */
  public Stats stats() {
    return stats;
  }

  @Override
  public String toString() {
    return "RoutingTable[version=" + version + ", digest=" + digest + ", " + stats + "]";
  }

  /** Counts what one snapshot holds. */
  public record Stats(int virtualHosts, int routes, int clusters, int endpoints) {

    static final Stats NONE = new Stats(0, 0, 0, 0);

    public Stats {
      if (virtualHosts < 0 || routes < 0 || clusters < 0 || endpoints < 0) {
        throw new IllegalArgumentException("counts: negative (expected: >= 0)");
      }
    }
  }
}
