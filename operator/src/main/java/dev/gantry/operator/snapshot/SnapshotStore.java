package dev.gantry.operator.snapshot;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.compile.CompileResult;
import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.protocol.v1.Snapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Holds the newest snapshot and numbers versions: a new version only when the wire content changes.
 * Remembers, for every accepted object at its current generation, the first version that held it,
 * so that an ACK of any later version proves that generation is served. Thread-safe.
 */
public final class SnapshotStore {

  /** A numbered snapshot and the compile result it was made from. */
  public record Published(long version, Snapshot snapshot, CompileResult result) {
    public Published {
      requireNonNull(snapshot, "snapshot");
      requireNonNull(result, "result");
    }
  }

  private record Held(ObjectRef ref, long generation) {}

  private final List<Consumer<Published>> listeners = new CopyOnWriteArrayList<>();
  // The digests of recent versions, both ways: replicas compare ACKs by content, not by number.
  private final java.util.LinkedHashMap<Long, String> digests =
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
          return size() > 256;
        }
      };
  private Map<Held, Long> firstVersion = Map.of();
  private volatile Published current;

  /**
   * Publishes the snapshot compiled from {@code result}; {@code content} carries its digest.
   * Listeners hear of every call, even when the content (and so the version) did not change, since
   * the reports may have.
   */
  public Published publish(Snapshot content, CompileResult result) {
    Published published;
    synchronized (this) {
      Published prev = current;
      if (prev != null && prev.snapshot().getDigest().equals(content.getDigest())) {
        published = new Published(prev.version(), prev.snapshot(), result);
      } else {
        long version = prev == null ? 1 : prev.version() + 1;
        published = new Published(version, content.toBuilder().setVersion(version).build(), result);
      }
      Map<Held, Long> next = new HashMap<>();
      for (ObjectReport r : result.reports().values()) {
        if (r.isAccepted()) {
          Held h = new Held(r.ref(), r.generation());
          next.put(h, firstVersion.getOrDefault(h, published.version()));
        }
      }
      firstVersion = next;
      current = published;
      digests.put(published.version(), published.snapshot().getDigest());
    }
    listeners.forEach(l -> l.accept(published));
    return published;
  }

  public Optional<Published> current() {
    return Optional.ofNullable(current);
  }

  /**
   * Returns the first version that served {@code ref} at {@code generation}, if the newest one
   * does.
   */
  public synchronized OptionalLong firstVersionHolding(ObjectRef ref, long generation) {
    Long v = firstVersion.get(new Held(ref, generation));
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** Returns the digest of {@code version}, if it is recent enough to be remembered. */
  public synchronized Optional<String> digestOf(long version) {
    return Optional.ofNullable(digests.get(version));
  }

  /** Returns the version with {@code digest}, if one of the recent ones has it. */
  public synchronized java.util.OptionalLong versionOf(String digest) {
    for (Map.Entry<Long, String> e : digests.entrySet()) {
      if (e.getValue().equals(digest)) {
        return java.util.OptionalLong.of(e.getKey());
      }
    }
    return java.util.OptionalLong.empty();
  }

  /** Calls {@code listener} after every publish, on the publishing thread. */
  public Runnable subscribe(Consumer<Published> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
