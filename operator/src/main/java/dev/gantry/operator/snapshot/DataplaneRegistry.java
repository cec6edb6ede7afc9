package dev.gantry.operator.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The dataplanes connected to this operator and what each last answered. Thread-safe; listeners
 * hear of every change on the thread that made it.
 */
public final class DataplaneRegistry {

  /** A dataplane's refusal of one version. */
  public record Rejection(long version, String reason) {}

  /** One connected dataplane: the newest version it ACKed (0: none) and its last NACK, if newer. */
  public record Dataplane(
      String streamId, String nodeId, long ackedVersion, Optional<Rejection> rejection) {
    public Dataplane {
      requireNonNull(streamId, "streamId");
      requireNonNull(nodeId, "nodeId");
      requireNonNull(rejection, "rejection");
    }
  }

  private final Map<String, Dataplane> byStream = new ConcurrentHashMap<>();
  // The dataplanes of other operator replicas, as they report them (PeerReports).
  private volatile List<Dataplane> peers = List.of();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  void connected(String streamId, String nodeId) {
    byStream.put(streamId, new Dataplane(streamId, nodeId, 0, Optional.empty()));
    changed();
  }

  void disconnected(String streamId) {
    if (byStream.remove(streamId) != null) {
      changed();
    }
  }

  void acked(String streamId, long version) {
    byStream.computeIfPresent(
        streamId,
        (k, d) ->
            new Dataplane(
                k,
                d.nodeId(),
                Math.max(d.ackedVersion(), version),
                d.rejection().filter(r -> r.version() > version)));
    changed();
  }

  void nacked(String streamId, long version, String reason) {
    byStream.computeIfPresent(
        streamId,
        (k, d) ->
            new Dataplane(
                k, d.nodeId(), d.ackedVersion(), Optional.of(new Rejection(version, reason))));
    changed();
  }

  /**
   * Returns the dataplanes: those connected here, and those other replicas report (their ACKs in
   * this replica's version numbers), ordered by node id.
   */
  public List<Dataplane> dataplanes() {
    return java.util.stream.Stream.concat(byStream.values().stream(), peers.stream())
        .sorted(Comparator.comparing(Dataplane::nodeId))
        .toList();
  }

  /** Returns the dataplanes connected to this replica, ordered by node id. */
  public List<Dataplane> local() {
    return byStream.values().stream().sorted(Comparator.comparing(Dataplane::nodeId)).toList();
  }

  /** Replaces what other replicas report; tells the listeners when it changed. */
  void peers(List<Dataplane> reported) {
    List<Dataplane> next = List.copyOf(reported);
    if (!next.equals(peers)) {
      peers = next;
      changed();
    }
  }

  public Runnable subscribe(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }
}
