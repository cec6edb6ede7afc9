package dev.gantry.dataplane.health;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.balance.KeyHash;
import dev.gantry.dataplane.balance.LoadBalancer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One snapshot's view of a cluster: its endpoints, how to balance over them and how to watch their
 * health. Picks from the balancer its {@link ClusterHealth} keeps over the endpoints currently in
 * rotation once a {@link HealthRegistry} adopted it, and from all endpoints before that (or when
 * there is no registry, as in unit tests).
 *
 * <p>Safe from any thread: picks read one volatile field and take no lock.
 */
public final class ClusterBalancer implements LoadBalancer {
  private final String name;
  private final List<Endpoint> endpoints;
  private final Function<List<Endpoint>, LoadBalancer> factory;
  private final Optional<HealthCheckPolicy> healthCheck;
  private final OutlierPolicy outlier;
  private final LoadBalancer all;
  private final Map<String, Endpoint> byToken;
  private volatile ClusterHealth health;

  /**
   * Returns the view of cluster {@code name}.
   *
   * @param factory builds a balancer of the cluster's policy over a list of endpoints
   * @param healthCheck the active health check, empty for none
   */
  public ClusterBalancer(
      String name,
      List<Endpoint> endpoints,
      Function<List<Endpoint>, LoadBalancer> factory,
      Optional<HealthCheckPolicy> healthCheck,
      OutlierPolicy outlier) {
    this.name = requireNonNull(name, "name");
    this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    this.factory = requireNonNull(factory, "factory");
    this.healthCheck = requireNonNull(healthCheck, "healthCheck");
    this.outlier = requireNonNull(outlier, "outlier");
    this.all = factory.apply(this.endpoints);
    this.byToken = new HashMap<>();
    for (Endpoint e : this.endpoints) {
      byToken.putIfAbsent(tokenOf(e), e);
    }
  }

  /**
   * Returns the opaque token that names {@code endpoint} in session cookies: 16 hex digits of a
   * stable hash of its address and port, so every dataplane replica issues and reads the same one.
   * Not a secret: it only keeps the address out of the client's sight.
   */
  public static String tokenOf(Endpoint endpoint) {
    String key = endpoint.address().getHostString() + ":" + endpoint.address().getPort();
    return String.format("%016x", KeyHash.of(key));
  }

  /** Returns the endpoint a session token names, or {@code null}. */
  public Endpoint endpointOf(CharSequence token) {
    return byToken.get(token.toString());
  }

  /** Returns whether balancers may pick {@code endpoint} now (fail-open counts as in rotation). */
  public boolean inRotation(Endpoint endpoint) {
    ClusterHealth h = health;
    return h == null ? endpoints.contains(endpoint) : h.inRotation(endpoint);
  }

  @Override
  public Endpoint pick() {
    ClusterHealth h = health;
    return (h == null ? all : h.selector()).pick();
  }

  @Override
  public Endpoint pick(long hash) {
    ClusterHealth h = health;
    return (h == null ? all : h.selector()).pick(hash);
  }

  @Override
  public void completed(Endpoint endpoint) {
    ClusterHealth h = health;
    (h == null ? all : h.selector()).completed(endpoint);
  }

  /** Tells passive outlier detection how an exchange with {@code endpoint} ended. */
  public void report(Endpoint endpoint, Outcome outcome) {
    ClusterHealth h = health;
    if (h != null) {
      h.report(endpoint, outcome);
    }
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  public String name() {
    return name;
  }

  public Optional<HealthCheckPolicy> healthCheck() {
    return healthCheck;
  }

  public OutlierPolicy outlier() {
    return outlier;
  }

  /** Returns a balancer of this cluster's policy over {@code members}. */
  LoadBalancer balancerOver(List<Endpoint> members) {
    return members.equals(endpoints) ? all : factory.apply(members);
  }

  /** Binds this view to the state kept for its cluster name. */
  void bind(ClusterHealth health) {
    this.health = health;
  }

  @Override
  public String toString() {
    return "ClusterBalancer[" + name + ", " + endpoints.size() + " endpoints]";
  }
}
