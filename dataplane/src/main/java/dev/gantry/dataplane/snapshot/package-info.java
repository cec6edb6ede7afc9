/**
 * The gRPC client of {@code SnapshotService.Stream}: receives complete snapshots from the operator,
 * validates and applies each, and answers for each.
 *
 * <pre>
 *   dataplane                                        operator
 *      │ ── Hello(node, held digest, build) ─────────▶  │
 *      │ ◀──────────────────────── Snapshot(v1) ─────── │
 *      │  validate ─▶ build RoutingTable ─▶ certificates ─▶ swap
 *      │ ── Ack(v1, digest) ─────────────────────────▶  │
 *      │ ◀──────────────────────── Snapshot(v2) ─────── │
 *      │  validate: a route forwards to an unknown cluster
 *      │ ── Nack(v2, digest, reason) ────────────────▶  │   v1 keeps serving
 *      │ ◀───────────────────── stream error / end ──── │
 *      │  keep serving v1; wait 250 ms · 2ⁿ (≤ 30 s, jittered)
 *      │ ── Hello(node, held digest = v1's) ─────────▶  │   new stream
 * </pre>
 */
package dev.gantry.dataplane.snapshot;
