package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A host whose TLS connections are relayed, not terminated (passthrough): to an endpoint of the
 * weighted clusters, closed after {@code idleTimeout} without bytes ({@link Duration#ZERO}: the
 * dataplane's default).
 */
public record TcpProxy(List<RouteAction.WeightedCluster> clusters, Duration idleTimeout) {
  public TcpProxy {
    clusters = List.copyOf(requireNonNull(clusters, "clusters"));
    requireNonNull(idleTimeout, "idleTimeout");
    if (clusters.isEmpty()) {
      throw new IllegalArgumentException("clusters: empty (expected: at least one)");
    }
  }
}
