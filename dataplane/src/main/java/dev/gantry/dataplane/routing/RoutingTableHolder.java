package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.health.HealthRegistry;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the routing table currently served and swaps whole tables atomically. Starts with {@link
 * RoutingTable#empty()}. With a {@link HealthRegistry}, a table's clusters are bound to the health
 * kept for their names just before the table is served.
 *
 * <p>Safe from any thread: the snapshot client swaps from a gRPC thread while event loops read.
 */
public final class RoutingTableHolder {

  private final AtomicReference<RoutingTable> current = new AtomicReference<>(RoutingTable.empty());
  private final HealthRegistry health;

  /** Returns a holder without health checking: balancers pick from every endpoint. */
  public RoutingTableHolder() {
    this.health = null;
  }

  /** Returns a holder whose tables' clusters keep their endpoint health in {@code health}. */
  public RoutingTableHolder(HealthRegistry health) {
    this.health = requireNonNull(health, "health");
  }

  /** Returns the table to use for a request that starts now. */
  public RoutingTable current() {
    return current.get();
  }

  /** Serves {@code table} from now on and returns the table it replaces. */
  public synchronized RoutingTable swap(RoutingTable table) {
    requireNonNull(table, "table");
    if (health != null) {
      health.adopt(table.clusters().stream().map(UpstreamCluster::balancer).toList());
    }
    return current.getAndSet(table);
  }

  /** Returns whether a snapshot was applied since start. */
  public boolean hasApplied() {
    return current.get() != RoutingTable.empty();
  }
}
