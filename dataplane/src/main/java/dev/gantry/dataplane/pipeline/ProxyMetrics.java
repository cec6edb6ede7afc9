package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.upstream.UpstreamException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what the proxy does, with low-cardinality tags only: {@code
 * gantry_dataplane_requests_total{status_class}}, {@code
 * gantry_dataplane_upstream_errors_total{kind}}, {@code
 * gantry_dataplane_requests_rejected_total{reason}}, {@code
 * gantry_dataplane_downstream_connections_refused_total}, {@code
 * gantry_dataplane_tls_handshake_failures_total}, the gauge {@code
 * gantry_dataplane_downstream_connections_active}, and per cluster {@code
 * gantry_dataplane_upstream_retries_total{cluster,reason}}, {@code
 * gantry_dataplane_upstream_retry_budget_exhausted_total{cluster}} and {@code
 * gantry_dataplane_upstream_circuit_breaker_trips_total{cluster,limit}}; for WebSocket, {@code
 * gantry_dataplane_websocket_upgrades_total}, the gauge {@code
 * gantry_dataplane_websocket_connections_active} and {@code
 * gantry_dataplane_websocket_bytes_total{direction}} (counted when a relay ends).
 *
 * <p>Safe from any thread. Every meter without a cluster tag is registered up front so that
 * recording allocates nothing; the per-cluster ones are looked up when they count (retries and
 * trips, never the plain request path).
 */
final class ProxyMetrics {

  private final Counter[] responsesByClass = new Counter[6];
  private final Map<UpstreamException.Kind, Counter> upstreamErrors =
      new EnumMap<>(UpstreamException.Kind.class);
  private final Map<RequestRejection, Counter> rejections = new EnumMap<>(RequestRejection.class);
  private final AtomicInteger activeConnections = new AtomicInteger();
  private final Counter refusedConnections;
  private final Counter tlsHandshakeFailures;
  private final AtomicInteger activeUpgrades = new AtomicInteger();
  private final Counter upgrades;
  private final Counter upgradeBytesReceived;
  private final Counter upgradeBytesSent;
  private final MeterRegistry registry;

  ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (int i = 1; i <= 5; i++) {
      responsesByClass[i] =
          Counter.builder("gantry.dataplane.requests")
              .description("Responses sent to clients, by status class")
              .tag("status_class", i + "xx")
              .register(registry);
    }
    for (UpstreamException.Kind kind : UpstreamException.Kind.values()) {
      upstreamErrors.put(
          kind,
          Counter.builder("gantry.dataplane.upstream.errors")
              .description("Failed exchanges with upstreams, by kind")
              .tag("kind", kind.tag())
              .register(registry));
    }
    for (RequestRejection rejection : RequestRejection.values()) {
      rejections.put(
          rejection,
          Counter.builder("gantry.dataplane.requests.rejected")
              .description("Requests refused at the edge before routing, by reason")
              .tag("reason", rejection.tag())
              .register(registry));
    }
    refusedConnections =
        Counter.builder("gantry.dataplane.downstream.connections.refused")
            .description("Client connections closed at once: the listener was at its limit")
            .register(registry);
    tlsHandshakeFailures =
        Counter.builder("gantry.dataplane.tls.handshake.failures")
            .description(
                "TLS handshakes that failed: no certificate for the server name, no shared version"
                    + " or cipher, not TLS")
            .register(registry);
    upgrades =
        Counter.builder("gantry.dataplane.websocket.upgrades")
            .description("Connections switched to WebSocket (the upstream answered 101)")
            .register(registry);
    Gauge.builder(
            "gantry.dataplane.websocket.connections.active", activeUpgrades, AtomicInteger::get)
        .description("WebSocket relays open now")
        .strongReference(true)
        .register(registry);
    upgradeBytesReceived =
        Counter.builder("gantry.dataplane.websocket.bytes")
            .description("Bytes relayed by ended WebSocket connections")
            .baseUnit("bytes")
            .tag("direction", "received")
            .register(registry);
    upgradeBytesSent =
        Counter.builder("gantry.dataplane.websocket.bytes")
            .description("Bytes relayed by ended WebSocket connections")
            .baseUnit("bytes")
            .tag("direction", "sent")
            .register(registry);
    Gauge.builder(
            "gantry.dataplane.downstream.connections.active", activeConnections, AtomicInteger::get)
        .description("Open client connections")
        .strongReference(true)
        .register(registry);
  }

  /** Counts one client connection whose TLS handshake failed. */
  /** Counts a request refused by its route's rate limit (looked up by route: only refusals pay). */
  void rateLimited(String route) {
    Counter.builder("gantry.dataplane.ratelimited")
        .description("Requests refused with 429 by their route's rate limit")
        .tag("route", route)
        .register(registry)
        .increment();
  }

  void tlsHandshakeFailed() {
    tlsHandshakeFailures.increment();
  }

  /** Counts one final response of {@code status} sent to a client. */
  void response(int status) {
    int statusClass = status / 100;
    if (statusClass >= 1 && statusClass <= 5) {
      responsesByClass[statusClass].increment();
    }
  }

  /** Counts one failed upstream exchange. */
  void upstreamError(UpstreamException.Kind kind) {
    upstreamErrors.get(kind).increment();
  }

  /** Counts one request refused at the edge. */
  void rejected(RequestRejection rejection) {
    rejections.get(rejection).increment();
  }

  /** Counts one connection refused over the listener's connection limit. */
  void connectionRefused() {
    refusedConnections.increment();
  }

  /** Counts one retry to {@code cluster}, for {@code reason} (a condition or a status code). */
  void retried(String cluster, String reason) {
    Counter.builder("gantry.dataplane.upstream.retries")
        .description("Retried attempts at upstreams, by cluster and reason")
        .tag("cluster", cluster)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** Counts one retry not made because the cluster's retry budget was spent. */
  void retryBudgetExhausted(String cluster) {
    Counter.builder("gantry.dataplane.upstream.retry.budget.exhausted")
        .description("Retries not made because the cluster's retry budget was spent")
        .tag("cluster", cluster)
        .register(registry)
        .increment();
  }

  /** Counts one request answered 503 over a circuit-breaker limit of {@code cluster}. */
  void circuitBreakerTripped(String cluster, Overload limit) {
    Counter.builder("gantry.dataplane.upstream.circuit.breaker.trips")
        .description("Requests answered 503 over a cluster's circuit-breaker limit")
        .tag("cluster", cluster)
        .tag("limit", limit.tag())
        .register(registry)
        .increment();
  }

  void connectionOpened() {
    activeConnections.incrementAndGet();
  }

  void connectionClosed() {
    activeConnections.decrementAndGet();
  }

  /** Counts a connection switched to a WebSocket relay. */
  void upgraded() {
    upgrades.increment();
    activeUpgrades.incrementAndGet();
  }

  /** Counts the end of a WebSocket relay that carried the given bytes from and to the client. */
  void upgradeEnded(long received, long sent) {
    activeUpgrades.decrementAndGet();
    upgradeBytesReceived.increment(received);
    upgradeBytesSent.increment(sent);
  }
}
