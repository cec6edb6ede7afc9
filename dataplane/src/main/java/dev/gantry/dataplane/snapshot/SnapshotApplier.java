package dev.gantry.dataplane.snapshot;

import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.protocol.v1.Snapshot;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a snapshot, builds its routing table and swaps it in, or refuses it and leaves the
 * current table serving. Runs on the gRPC callback thread of the stream, one snapshot at a time;
 * never on an event loop.
 */
final class SnapshotApplier {

  private static final Logger log = LoggerFactory.getLogger(SnapshotApplier.class);

  private final RoutingTableHolder tables;
  private final Consumer<Snapshot> certificates;
  private final SnapshotMetrics metrics;

  SnapshotApplier(RoutingTableHolder tables, SnapshotMetrics metrics) {
    this(tables, snapshot -> {}, metrics);
  }

  /**
   * @param certificates takes each accepted snapshot just before its routing table is swapped in;
   *     it deals with bad certificates itself and never refuses a snapshot
   */
  SnapshotApplier(
      RoutingTableHolder tables, Consumer<Snapshot> certificates, SnapshotMetrics metrics) {
    this.tables = tables;
    this.certificates = certificates;
    this.metrics = metrics;
  }

  /** Returns the decision on {@code snapshot}, having applied it if it was valid. */
  ApplyResult apply(Snapshot snapshot) {
    List<String> problems = SnapshotValidator.problems(snapshot);
    if (!problems.isEmpty()) {
      return reject(snapshot, SnapshotValidator.reason(problems));
    }
    RoutingTable table;
    try {
      table = RoutingTable.from(snapshot, tables.current());
    } catch (IllegalArgumentException e) {
      return reject(snapshot, e.getMessage());
    }
    certificates.accept(snapshot);
    RoutingTable previous = tables.swap(table);
    metrics.applied(table.version());
    RoutingTable.Stats stats = table.stats();
    log.info(
        "applied snapshot version {} digest {} (was {}): {} virtual hosts, {} routes, {} clusters,"
            + " {} endpoints",
        table.version(),
        table.digest(),
        previous.version(),
        stats.virtualHosts(),
        stats.routes(),
        stats.clusters(),
        stats.endpoints());
    return new ApplyResult.Applied(snapshot.getVersion(), snapshot.getDigest());
  }

  private ApplyResult reject(Snapshot snapshot, String reason) {
    metrics.rejected();
    log.warn(
        "rejected snapshot version {} digest {}, still serving version {}: {}",
        snapshot.getVersion(),
        snapshot.getDigest(),
        tables.current().version(),
        reason);
    return new ApplyResult.Rejected(snapshot.getVersion(), snapshot.getDigest(), reason);
  }
}
