package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the routing table currently served and swaps whole tables atomically. Starts with {@link
 * RoutingTable#empty()}.
 *
 * <p>Safe from any thread: the snapshot client swaps from a gRPC thread while event loops read.
 */
public final class RoutingTableHolder {

  private final AtomicReference<RoutingTable> current = new AtomicReference<>(RoutingTable.empty());

  /** Returns the table to use for a request that starts now. */
  public RoutingTable current() {
    return current.get();
  }

  /** Serves {@code table} from now on and returns the table it replaces. */
  public RoutingTable swap(RoutingTable table) {
    return current.getAndSet(requireNonNull(table, "table"));
  }

  /** Returns whether a snapshot was applied since start. */
  public boolean hasApplied() {
    return current.get() != RoutingTable.empty();
  }
}
