package dev.gantry.dataplane.upstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sizes the upstream pools as gauges, per protocol: {@code
 * gantry_dataplane_upstream_connections_open{protocol}}, {@code
 * gantry_dataplane_upstream_connections_idle{protocol}} (open with no exchange: parked HTTP/1.1
 * connections, HTTP/2 connections with no stream) and {@code
 * gantry_dataplane_upstream_streams_active{protocol}} (HTTP/2 streams open to upstreams), and the
 * counter {@code gantry_dataplane_upstream_goaways_total{protocol}} (GOAWAY frames received from
 * upstreams: their connections take no new streams).
 *
 * <p>Safe from any thread; the pools of every event loop update the same counters.
 */
final class UpstreamPoolMetrics {

  private final Map<UpstreamProtocol, AtomicLong> open = new EnumMap<>(UpstreamProtocol.class);
  private final Map<UpstreamProtocol, AtomicLong> idle = new EnumMap<>(UpstreamProtocol.class);
  private final AtomicLong streams = new AtomicLong();
  private final Counter goAways;

  UpstreamPoolMetrics(MeterRegistry registry) {
    for (UpstreamProtocol protocol : UpstreamProtocol.values()) {
      open.put(
          protocol,
          gauge(
              registry,
              "gantry.dataplane.upstream.connections.open",
              protocol,
              "Open upstream connections"));
      idle.put(
          protocol,
          gauge(
              registry,
              "gantry.dataplane.upstream.connections.idle",
              protocol,
              "Open upstream connections serving no exchange"));
    }
    Gauge.builder("gantry.dataplane.upstream.streams.active", streams, AtomicLong::get)
        .description("HTTP/2 streams open to upstreams")
        .tag("protocol", UpstreamProtocol.H2C.tag())
        .strongReference(true)
        .register(registry);
    goAways =
        Counter.builder("gantry.dataplane.upstream.goaways")
            .description("GOAWAY frames received from upstreams")
            .tag("protocol", UpstreamProtocol.H2C.tag())
            .register(registry);
  }

  private static AtomicLong gauge(
      MeterRegistry registry, String name, UpstreamProtocol protocol, String description) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(name, value, AtomicLong::get)
        .description(description)
        .tag("protocol", protocol.tag())
        .strongReference(true)
        .register(registry);
    return value;
  }

  void opened(UpstreamProtocol protocol, int delta) {
    open.get(protocol).addAndGet(delta);
  }

  void idle(UpstreamProtocol protocol, int delta) {
    idle.get(protocol).addAndGet(delta);
  }

  void goAway() {
    goAways.increment();
  }

  void streams(int delta) {
    streams.addAndGet(delta);
  }
}
