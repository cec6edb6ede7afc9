package dev.gantry.operator.status;

import dev.gantry.operator.OperatorConfig;
import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.compile.Problem;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.snapshot.SnapshotStore;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what becomes of Gantry's Ingresses: {@code status.loadBalancer} (the configured publish
 * addresses, else the dataplane Service's LoadBalancer ingress), and a Warning Event for each
 * problem the compiler found, once per problem rather than on every compile. Ingress has no
 * conditions, so Events are where {@code kubectl describe ingress} shows them. Runs on the leader
 * only (JOSDK); Ingresses that are not Gantry's are never touched.
 */
@ControllerConfiguration(name = "ingress-status")
public final class IngressStatusReconciler implements Reconciler<Ingress> {
  private static final Logger log = LoggerFactory.getLogger(IngressStatusReconciler.class);
  private static final Pattern IP = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final SnapshotStore store;
  private final KubernetesClient client;
  private final OperatorConfig.Publish publish;
  private final Clock clock;
  private final SimpleInboundEventSource<Ingress> wakeUps =
      new SimpleInboundEventSource<>("ingress-status-wakeups");
  // The problems each Ingress generation was last told about, so each is told once.
  private final Map<ObjectRef, Reported> reported = new ConcurrentHashMap<>();

  private record Reported(long generation, List<Problem> problems) {}

  public IngressStatusReconciler(
      SnapshotStore store, KubernetesClient client, OperatorConfig.Publish publish, Clock clock) {
    this.store = store;
    this.client = client;
    this.publish = publish;
    this.clock = clock;
    store.subscribe(
        p -> {
          // Forget Ingresses that are gone (or no longer Gantry's): their Events were told.
          reported.keySet().retainAll(p.result().reports().keySet());
          ingresses(p.result().reports()).forEach(this::wake);
        });
  }

  private static Set<ResourceID> ingresses(Map<ObjectRef, ObjectReport> reports) {
    return reports.keySet().stream()
        .filter(r -> r.kind().equals("Ingress"))
        .map(r -> new ResourceID(r.name(), r.namespace()))
        .collect(Collectors.toSet());
  }

  private void wake(ResourceID id) {
    if (wakeUps.isRunning()) {
      wakeUps.propagateEvent(id);
    }
  }

  @Override
  public List<EventSource<?, Ingress>> prepareEventSources(EventSourceContext<Ingress> context) {
    List<EventSource<?, Ingress>> sources = new ArrayList<>(List.of(wakeUps));
    publish
        .service()
        .filter(s -> publish.addresses().isEmpty())
        .ifPresent(
            service -> {
              String[] parts = service.split("/", 2);
              // The dataplane Service's address changes every Gantry Ingress's status.
              sources.add(
                  new InformerEventSource<>(
                      InformerEventSourceConfiguration.from(Service.class, Ingress.class)
                          .withName("publish-service")
                          .withNamespaces(Set.of(parts[0]))
                          .withSecondaryToPrimaryMapper(
                              s ->
                                  s.getMetadata().getName().equals(parts[1])
                                      ? store
                                          .current()
                                          .map(p -> ingresses(p.result().reports()))
                                          .orElse(Set.of())
                                      : Set.of())
                          .build(),
                      context));
            });
    return sources;
  }

  private ReconcileErrors errors = ReconcileErrors.NONE;

  /** Counts failed reconciles in {@code errors}; returns this reconciler. */
  public IngressStatusReconciler countingErrorsIn(ReconcileErrors errors) {
    this.errors = errors;
    return this;
  }

  @Override
  public ErrorStatusUpdateControl<Ingress> updateErrorStatus(
      Ingress resource, Context<Ingress> context, Exception e) {
    errors.failed("ingress-status");
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  @Override
  public UpdateControl<Ingress> reconcile(Ingress ingress, Context<Ingress> context) {
    ObjectRef ref =
        new ObjectRef(
            "Ingress", ingress.getMetadata().getNamespace(), ingress.getMetadata().getName());
    Optional<ObjectReport> report = store.current().flatMap(p -> p.result().report(ref));
    if (report.isEmpty()) {
      return UpdateControl.noUpdate(); // not Gantry's, or not compiled yet
    }
    announce(ingress, report.get());
    List<IngressLoadBalancerIngress> desired = loadBalancer();
    List<IngressLoadBalancerIngress> current =
        ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
            ? List.of()
            : Objects.requireNonNullElse(
                ingress.getStatus().getLoadBalancer().getIngress(), List.of());
    if (desired.equals(current)) {
      return UpdateControl.noUpdate();
    }
    ingress.setStatus(new IngressStatus(new IngressLoadBalancerStatus(desired)));
    return UpdateControl.patchStatus(ingress);
  }

  /** Records a Warning Event for each problem this generation has not been told about. */
  private void announce(Ingress ingress, ObjectReport report) {
    List<Problem> problems = report.rejection().map(List::of).orElse(report.unresolvedRefs());
    Reported before = reported.get(report.ref());
    List<Problem> known =
        before != null && before.generation() == report.generation()
            ? before.problems()
            : List.of();
    reported.put(report.ref(), new Reported(report.generation(), problems));
    for (Problem p : problems) {
      if (known.contains(p)) {
        continue;
      }
      String now = Instant.now(clock).toString();
      try {
        client
            .v1()
            .events()
            .inNamespace(ingress.getMetadata().getNamespace())
            .resource(
                new EventBuilder()
                    .withNewMetadata()
                    .withGenerateName(ingress.getMetadata().getName() + ".")
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion("networking.k8s.io/v1")
                    .withKind("Ingress")
                    .withName(ingress.getMetadata().getName())
                    .withNamespace(ingress.getMetadata().getNamespace())
                    .withUid(ingress.getMetadata().getUid())
                    .withResourceVersion(ingress.getMetadata().getResourceVersion())
                    .endInvolvedObject()
                    .withType("Warning")
                    .withReason(p.reason())
                    .withMessage(p.message())
                    .withNewSource()
                    .withComponent("gantry")
                    .endSource()
                    .withReportingComponent("gantry.dev/ingress-controller")
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .build())
            .create();
      } catch (KubernetesClientException e) {
        log.warn("cannot record an Event on Ingress {}: {}", report.ref(), e.getMessage());
      }
    }
  }

  /** The addresses to publish: the configured ones, else the dataplane Service's. */
  private List<IngressLoadBalancerIngress> loadBalancer() {
    if (!publish.addresses().isEmpty()) {
      return publish.addresses().stream().map(IngressStatusReconciler::entry).toList();
    }
    if (publish.service().isEmpty()) {
      return List.of();
    }
    String[] parts = publish.service().get().split("/", 2);
    Service service = client.services().inNamespace(parts[0]).withName(parts[1]).get();
    if (service == null
        || service.getStatus() == null
        || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    List<IngressLoadBalancerIngress> out = new ArrayList<>();
    for (LoadBalancerIngress lb : service.getStatus().getLoadBalancer().getIngress()) {
      out.add(
          new IngressLoadBalancerIngressBuilder()
              .withIp(lb.getIp())
              .withHostname(lb.getHostname())
              .build());
    }
    return out;
  }

  private static IngressLoadBalancerIngress entry(String address) {
    return IP.matcher(address).matches()
        ? new IngressLoadBalancerIngressBuilder().withIp(address).build()
        : new IngressLoadBalancerIngressBuilder().withHostname(address).build();
  }
}
