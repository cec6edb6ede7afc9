/**
 * Endpoint health: active HTTP health checks, passive outlier detection, and the balancers that
 * skip what either took out of rotation.
 *
 * <pre>
 * snapshot ──► ClusterBalancer (one per cluster per snapshot)
 *                   │ adopt (on swap)
 *                   ▼
 * HealthRegistry ──► ClusterHealth (per cluster name, kept across snapshots)
 *   probes ───────────► probed(address, passed)  ─┐
 *   exchanges ────────► report(endpoint, outcome) ─┼─► rebuild selector under a short lock
 *   sweep (1 s) ──────► readmit ejected endpoints ─┘
 * picks ◄── volatile selector (no lock)
 * </pre>
 */
package dev.gantry.dataplane.health;
