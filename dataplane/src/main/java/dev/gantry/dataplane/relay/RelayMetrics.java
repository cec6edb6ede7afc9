package dev.gantry.dataplane.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The meters of TLS passthrough relays. Thread-safe. */
final class RelayMetrics {

  private final Counter relayed;
  private final AtomicInteger active = new AtomicInteger();
  private final Counter received;
  private final Counter sent;
  private final Counter connectFailures;

  RelayMetrics(MeterRegistry registry) {
    relayed =
        Counter.builder("gantry.dataplane.passthrough.connections")
            .description("TLS connections relayed without termination (passthrough)")
            .register(registry);
    Gauge.builder("gantry.dataplane.passthrough.connections.active", active, AtomicInteger::get)
        .description("Passthrough relays open now")
        .strongReference(true)
        .register(registry);
    received =
        Counter.builder("gantry.dataplane.passthrough.bytes")
            .description("Bytes relayed by passthrough connections")
            .baseUnit("bytes")
            .tag("direction", "received")
            .register(registry);
    sent =
        Counter.builder("gantry.dataplane.passthrough.bytes")
            .description("Bytes relayed by passthrough connections")
            .baseUnit("bytes")
            .tag("direction", "sent")
            .register(registry);
    connectFailures =
        Counter.builder("gantry.dataplane.passthrough.connect.failures")
            .description("Connections to passthrough endpoints that could not be opened")
            .register(registry);
  }

  void opened() {
    relayed.increment();
    active.incrementAndGet();
  }

  void closed() {
    active.decrementAndGet();
  }

  /** Bytes from the client, relayed to the endpoint. */
  void received(int bytes) {
    received.increment(bytes);
  }

  /** Bytes from the endpoint, relayed to the client. */
  void sent(int bytes) {
    sent.increment(bytes);
  }

  void connectFailed() {
    connectFailures.increment();
  }
}
