package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.balance.WeightedChoice;
import java.time.Duration;

/**
 * Where a passthrough host's TLS connections are relayed, for one snapshot.
 *
 * @param host the virtual host's name, for logs and metrics
 * @param clusters the weighted clusters; one endpoint is picked per connection
 * @param idleTimeout a relay with no bytes either way for this long is closed
 */
public record TcpProxyRoute(
    String host, WeightedChoice<UpstreamCluster> clusters, Duration idleTimeout) {

  /** Idle timeout used when the snapshot leaves it unset. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

  public TcpProxyRoute {
    requireNonNull(host, "host");
    requireNonNull(clusters, "clusters");
    requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
    }
  }
}
