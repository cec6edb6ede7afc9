package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.health.ClusterBalancer;
import dev.gantry.dataplane.upstream.UpstreamTransport;
import java.time.Duration;

/**
 * A named set of endpoints as one snapshot describes it, with the balancer built for it. Immutable
 * apart from the balancer's cursor; safe from any thread.
 *
 * @param name {@code <namespace>/<service>:<port>}
 * @param balancer picks the endpoint among those in rotation; picks {@code null} when the cluster
 *     has no endpoints; takes each exchange's outcome for outlier detection
 * @param connectTimeout how long a new upstream connection may take to establish
 * @param emptyReason why the cluster has no endpoints, when known; for logs only, never for clients
 * @param circuitBreakers the limits on what the proxy sends the cluster at once
 * @param transport how the proxy speaks to the endpoints: HTTP version, cleartext or TLS
 */
public record UpstreamCluster(
    String name,
    ClusterBalancer balancer,
    Duration connectTimeout,
    String emptyReason,
    CircuitBreakers circuitBreakers,
    UpstreamTransport transport) {

  /** Connect timeout used when the snapshot leaves it unset. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  public UpstreamCluster {
    requireNonNull(name, "name");
    requireNonNull(balancer, "balancer");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(emptyReason, "emptyReason");
    requireNonNull(circuitBreakers, "circuitBreakers");
    requireNonNull(transport, "transport");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
    }
  }

  /** Returns a cluster spoken to over HTTP/1.1. */
  public UpstreamCluster(
      String name,
      ClusterBalancer balancer,
      Duration connectTimeout,
      String emptyReason,
      CircuitBreakers circuitBreakers) {
    this(name, balancer, connectTimeout, emptyReason, circuitBreakers, UpstreamTransport.HTTP1);
  }
}
