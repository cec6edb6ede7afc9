/**
 * The admin server: liveness, readiness, Prometheus metrics and the served snapshot, on its own
 * port and event loop so that probes answer even when the proxy is busy.
 */
package dev.gantry.dataplane.admin;
