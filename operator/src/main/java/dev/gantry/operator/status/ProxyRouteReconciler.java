package dev.gantry.operator.status;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteStatus;
import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.snapshot.DataplaneRegistry;
import dev.gantry.operator.snapshot.SnapshotStore;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes ProxyRoute status. Runs on the leader only (JOSDK); the snapshot path does not depend on
 * it. It is woken for the routes whose conditions a compile or a dataplane's answer may have
 * changed ({@link StatusWakeUps}), and patches status only when they did.
 */
@ControllerConfiguration(name = "proxyroute-status")
public final class ProxyRouteReconciler implements Reconciler<ProxyRoute> {
  private final SnapshotStore store;
  private final DataplaneRegistry registry;
  private final Clock clock;
  private final RouteCertificates certificates;
  private final SimpleInboundEventSource<ProxyRoute> wakeUps =
      new SimpleInboundEventSource<>("status-wakeups");
  private final StatusWakeUps wakeUpFilter = new StatusWakeUps();

  public ProxyRouteReconciler(SnapshotStore store, DataplaneRegistry registry, Clock clock) {
    this(store, registry, clock, RouteCertificates.none());
  }

  /**
   * A reconciler that also owns the cert-manager Certificates of routes with {@code
   * spec.tls.issuerRef}, through {@code client}; whether cert-manager is installed is asked now.
   */
  public ProxyRouteReconciler(
      SnapshotStore store, DataplaneRegistry registry, Clock clock, KubernetesClient client) {
    this(store, registry, clock, RouteCertificates.detect(client));
  }

  private ProxyRouteReconciler(
      SnapshotStore store,
      DataplaneRegistry registry,
      Clock clock,
      RouteCertificates certificates) {
    this.certificates = certificates;
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    store.subscribe(p -> wakeUpFilter.afterCompile(p.result().reports()).forEach(this::wake));
    registry.subscribe(
        () ->
            store
                .current()
                .ifPresent(
                    p ->
                        wakeUpFilter
                            .afterDataplanes(
                                registry.dataplanes(),
                                p.result().reports(),
                                store::firstVersionHolding)
                            .forEach(this::wake)));
  }

  private void wake(ObjectRef ref) {
    if (ref.kind().equals("ProxyRoute") && wakeUps.isRunning()) {
      wakeUps.propagateEvent(new ResourceID(ref.name(), ref.namespace()));
    }
  }

  @Override
  public List<EventSource<?, ProxyRoute>> prepareEventSources(
      EventSourceContext<ProxyRoute> context) {
    List<EventSource<?, ProxyRoute>> sources = new ArrayList<>(List.of(wakeUps));
    sources.addAll(certificates.eventSources(context));
    return sources;
  }

  private ReconcileErrors errors = ReconcileErrors.NONE;

  /** Counts failed reconciles in {@code errors}; returns this reconciler. */
  public ProxyRouteReconciler countingErrorsIn(ReconcileErrors errors) {
    this.errors = errors;
    return this;
  }

  @Override
  public ErrorStatusUpdateControl<ProxyRoute> updateErrorStatus(
      ProxyRoute resource, Context<ProxyRoute> context, Exception e) {
    errors.failed("proxyroute-status");
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  @Override
  public UpdateControl<ProxyRoute> reconcile(ProxyRoute route, Context<ProxyRoute> context) {
    ObjectRef ref =
        new ObjectRef(
            "ProxyRoute", route.getMetadata().getNamespace(), route.getMetadata().getName());
    long generation = Objects.requireNonNullElse(route.getMetadata().getGeneration(), 0L);
    // Before the compiler's report: the Certificate follows the spec whether or not it compiled.
    CertificateState certificate = certificates.reconcile(route);
    Optional<ObjectReport> report =
        store
            .current()
            .flatMap(p -> p.result().report(ref))
            .filter(r -> r.generation() == generation);
    if (report.isEmpty()) {
      return UpdateControl
          .noUpdate(); // the compiler has not seen this generation yet; it will wake us
    }
    List<Condition> previous =
        route.getStatus() == null || route.getStatus().conditions() == null
            ? List.of()
            : route.getStatus().conditions();
    List<Condition> next =
        withTransitionTimes(
            RouteConditions.of(
                report.get(),
                store.firstVersionHolding(ref, generation),
                registry.dataplanes(),
                certificate,
                route.getSpec() != null
                    && route.getSpec().tls() != null
                    && route.getSpec().tls().passthroughOrDefault()),
            previous);
    ProxyRouteStatus status = new ProxyRouteStatus(generation, next);
    if (status.equals(route.getStatus())) {
      return UpdateControl.noUpdate();
    }
    route.setStatus(status);
    return UpdateControl.patchStatus(route);
  }

  /**
   * Keeps a condition's transition time while its status stays the same; stamps now when it flips.
   */
  private List<Condition> withTransitionTimes(List<Condition> next, List<Condition> previous) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> out = new ArrayList<>();
    for (Condition c : next) {
      String since =
          previous.stream()
              .filter(p -> p.getType().equals(c.getType()) && p.getStatus().equals(c.getStatus()))
              .map(Condition::getLastTransitionTime)
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(now);
      c.setLastTransitionTime(since);
      out.add(c);
    }
    return out;
  }
}
