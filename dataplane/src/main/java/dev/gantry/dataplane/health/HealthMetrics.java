package dev.gantry.dataplane.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Publishes endpoint health: the gauge {@code gantry_dataplane_upstream_endpoints{cluster,state}}
 * and the counters {@code gantry_dataplane_upstream_ejections_total{cluster,reason}} and {@code
 * gantry_dataplane_health_checks_total{cluster,result}}. Cluster names come from the snapshot, so
 * their number is bounded by the configuration. Safe from any thread.
 */
final class HealthMetrics implements ClusterHealth.Listener {
  private final MeterRegistry registry;
  private final MultiGauge endpoints;

  HealthMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.endpoints =
        MultiGauge.builder("gantry.dataplane.upstream.endpoints")
            .description("Endpoints of each cluster, by state (healthy, unhealthy, ejected)")
            .register(registry);
  }

  /** Publishes the endpoint gauges of exactly these clusters. */
  void clusters(Collection<ClusterHealth> clusters) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (ClusterHealth cluster : clusters) {
      for (EndpointState state : EndpointState.values()) {
        rows.add(
            MultiGauge.Row.of(
                Tags.of("cluster", cluster.name(), "state", state.tag()),
                cluster,
                c -> c.counts().get(state)));
      }
    }
    endpoints.register(rows, true);
  }

  @Override
  public void ejected(String cluster, Outcome reason) {
    Counter.builder("gantry.dataplane.upstream.ejections")
        .description("Endpoints ejected by passive outlier detection")
        .tags(
            "cluster",
            cluster,
            "reason",
            reason == Outcome.GATEWAY_ERROR ? "gateway_errors" : "server_errors")
        .register(registry)
        .increment();
  }

  @Override
  public void probed(String cluster, boolean passed) {
    Counter.builder("gantry.dataplane.health.checks")
        .description("Active health check probes, by result")
        .tags("cluster", cluster, "result", passed ? "passed" : "failed")
        .register(registry)
        .increment();
  }
}
