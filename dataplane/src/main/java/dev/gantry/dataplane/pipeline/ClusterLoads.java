package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.routing.UpstreamCluster;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link ClusterLoad} of every cluster, by name, shared by all event loops of a listener and
 * kept across snapshot swaps. A cluster's entry stays after a snapshot drops it (a few counters per
 * name ever routed to), so that requests still in flight to it are counted down where they were
 * counted up.
 *
 * <p>Each cluster's counters are exported as gauges: {@code
 * gantry_dataplane_upstream_requests_active{cluster}}, {@code …_requests_pending}, {@code
 * …_retries_active} and {@code …_connections_active}.
 */
final class ClusterLoads {

  private final ConcurrentMap<String, ClusterLoad> loads = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  ClusterLoads(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Returns the load of {@code cluster}, holding the limits of the snapshot it comes from. */
  ClusterLoad of(UpstreamCluster cluster) {
    ClusterLoad load = loads.get(cluster.name());
    if (load == null) {
      load = loads.computeIfAbsent(cluster.name(), this::newLoad);
    }
    load.limits(cluster.circuitBreakers());
    return load;
  }

  private ClusterLoad newLoad(String cluster) {
    ClusterLoad load = new ClusterLoad();
    gauge("gantry.dataplane.upstream.requests.active", cluster, load, ClusterLoad::requests);
    gauge("gantry.dataplane.upstream.requests.pending", cluster, load, ClusterLoad::pending);
    gauge("gantry.dataplane.upstream.retries.active", cluster, load, ClusterLoad::retries);
    gauge("gantry.dataplane.upstream.connections.active", cluster, load, ClusterLoad::connections);
    return load;
  }

  private void gauge(
      String name,
      String cluster,
      ClusterLoad load,
      java.util.function.ToDoubleFunction<ClusterLoad> value) {
    Gauge.builder(name, load, value)
        .description("In flight to the cluster now, as its circuit breakers count")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
  }
}
