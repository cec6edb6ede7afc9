package dev.gantry.dataplane.upstream;

/**
 * Counts the connections one cluster holds open, so that a cluster's circuit breaker can cap them.
 * A connection is counted against the limit it was opened under for as long as it stays open, even
 * while pooled or reused by another cluster of the same endpoint. Implementations are safe from any
 * thread.
 */
public interface ConnectionLimit {

  /** No limit: every connection may open. */
  ConnectionLimit NONE =
      new ConnectionLimit() {
        @Override
        public boolean tryOpen() {
          return true;
        }

        @Override
        public void closed() {}
      };

  /** Counts one connection about to open; returns false, counting nothing, at the limit. */
  boolean tryOpen();

  /** Uncounts a connection that {@link #tryOpen()} admitted, once it closed or failed to open. */
  void closed();
}
