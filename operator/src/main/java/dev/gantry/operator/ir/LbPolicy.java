package dev.gantry.operator.ir;

/** How a cluster spreads requests over its endpoints. */
public enum LbPolicy {
  ROUND_ROBIN,
  RANDOM,
  LEAST_REQUEST,
  RING_HASH,
  MAGLEV
}
