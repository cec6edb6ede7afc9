package dev.gantry.operator.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Counts the status writers' failed reconciles ({@code gantry_operator_reconcile_errors_total} by
 * controller); JOSDK retries them.
 */
public final class ReconcileErrors {
  /** Counts nowhere: for reconcilers made without a registry. */
  static final ReconcileErrors NONE = new ReconcileErrors(new SimpleMeterRegistry());

  private final MeterRegistry meters;

  public ReconcileErrors(MeterRegistry meters) {
    this.meters = meters;
  }

  void failed(String controller) {
    Counter.builder("gantry.operator.reconcile.errors")
        .description("Failed status reconciles, retried by the controller")
        .tag("controller", controller)
        .register(meters)
        .increment();
  }
}
