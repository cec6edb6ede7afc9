package dev.gantry.dataplane.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code gantry_dataplane_request_duration_seconds{route, backend, status_class}}: a histogram of
 * whole-exchange durations with fixed buckets (1 ms to 10 s), so each route costs a bounded number
 * of series. Timers are looked up by nested maps, allocation-free once created. Thread-safe.
 */
public final class RequestMetrics {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };
  private static final String NONE = "none";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer[]>> timers =
      new ConcurrentHashMap<>();

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records one finished exchange. */
  void record(Exchange e) {
    int statusClass = e.status / 100;
    if (statusClass < 1 || statusClass > 5) {
      return;
    }
    String route = e.route == null ? NONE : e.route;
    String backend = e.backend == null ? NONE : e.backend;
    Timer[] byClass =
        timers
            .computeIfAbsent(route, r -> new ConcurrentHashMap<>())
            .computeIfAbsent(backend, b -> new Timer[6]);
    Timer timer = byClass[statusClass];
    if (timer == null) {
      timer =
          Timer.builder("gantry.dataplane.request.duration")
              .description("Client exchanges from request to last response byte")
              .tag("route", route)
              .tag("backend", backend)
              .tag("status_class", statusClass + "xx")
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
      byClass[statusClass] = timer; // a racing writer registers the same meter: harmless
    }
    timer.record(e.durationNanos, TimeUnit.NANOSECONDS);
  }
}
