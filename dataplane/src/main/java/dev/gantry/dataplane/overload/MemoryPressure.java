package dev.gantry.dataplane.overload;

/**
 * Whether the process is short enough of memory that new requests should be refused. Read on every
 * request: implementations answer from a field, never measure on the caller's thread.
 */
@FunctionalInterface
public interface MemoryPressure {

  /** Never under pressure: for tests and embedders that protect the process themselves. */
  MemoryPressure NONE = () -> false;

  /** Returns whether new requests should be refused now. */
  boolean high();
}
