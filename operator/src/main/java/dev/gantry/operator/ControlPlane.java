package dev.gantry.operator;

import dev.gantry.operator.compile.CompileResult;
import dev.gantry.operator.compile.IngressClassPolicy;
import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.compile.RouteCompiler;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.snapshot.DataplaneRegistry;
import dev.gantry.operator.snapshot.SnapshotMetrics;
import dev.gantry.operator.snapshot.SnapshotStore;
import dev.gantry.operator.snapshot.SnapshotStreamService;
import dev.gantry.operator.translate.SnapshotTranslator;
import dev.gantry.operator.watch.RebuildScheduler;
import dev.gantry.operator.watch.SourceCache;
import dev.gantry.protocol.v1.Snapshot;
import io.grpc.BindableService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot path, the same in every mode: source cache, debounced rebuilds, compile, translate,
 * publish. It does no I/O of its own; informers or files feed {@link #sources()}, and the gRPC
 * service from {@link #snapshotService()} streams what it publishes.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

  private static final Duration MAX_TIMER = Duration.ofDays(1);

  private final RouteCompiler compiler;
  // Unresolved backends leave their rules answering 503; other problems say what becomes of what.
  private static final Set<String> BACKEND_REASONS =
      Set.of("BackendNotFound", "UnsupportedProtocol");

  private final SnapshotStore store = new SnapshotStore();
  private final DataplaneRegistry registry = new DataplaneRegistry();
  private final RebuildScheduler scheduler;
  private final SourceCache sources;
  private final Timer compileTimer;
  private final SnapshotMetrics snapshotMetrics;

  public ControlPlane(Duration holdOff, Duration maxDelay, MeterRegistry meters) {
    this(holdOff, maxDelay, meters, Optional.empty());
  }

  /**
   * @param defaultCertificate the Secret ("namespace/name") to ship as the default certificate
   */
  public ControlPlane(
      Duration holdOff,
      Duration maxDelay,
      MeterRegistry meters,
      Optional<String> defaultCertificate) {
    this(holdOff, maxDelay, meters, defaultCertificate, IngressClassPolicy.CLUSTER);
  }

  /**
   * @param defaultCertificate the Secret ("namespace/name") to ship as the default certificate
   * @param ingressClasses which Ingresses are served
   */
  public ControlPlane(
      Duration holdOff,
      Duration maxDelay,
      MeterRegistry meters,
      Optional<String> defaultCertificate,
      IngressClassPolicy ingressClasses) {
    this(holdOff, maxDelay, meters, defaultCertificate, ingressClasses, Optional.empty());
  }

  /**
   * @param nginxConfigMap an ingress-nginx ConfigMap ("namespace/name") whose defaults Ingresses
   *     get
   */
  public ControlPlane(
      Duration holdOff,
      Duration maxDelay,
      MeterRegistry meters,
      Optional<String> defaultCertificate,
      IngressClassPolicy ingressClasses,
      Optional<String> nginxConfigMap) {
    this.compiler =
        new RouteCompiler(Clock.systemUTC(), defaultCertificate, ingressClasses, nginxConfigMap);
    this.scheduler = new RebuildScheduler(holdOff, maxDelay, this::rebuild);
    this.sources = new SourceCache(scheduler::request);
    this.snapshotMetrics = new SnapshotMetrics(meters, store);
    this.compileTimer =
        Timer.builder("gantry.operator.compile")
            .description("Time to compile and publish a snapshot")
            .register(meters);
    Gauge.builder(
            "gantry.operator.snapshot.version",
            store,
            s -> s.current().map(SnapshotStore.Published::version).orElse(0L))
        .description("The newest snapshot version")
        .register(meters);
    Gauge.builder("gantry.operator.dataplanes.connected", registry, r -> r.local().size())
        .description("Dataplanes streaming from this operator")
        .register(meters);
  }

  public SourceCache sources() {
    return sources;
  }

  public SnapshotStore store() {
    return store;
  }

  public DataplaneRegistry registry() {
    return registry;
  }

  /** Returns a new gRPC service streaming this control plane's snapshots. */
  public BindableService snapshotService() {
    return new SnapshotStreamService(store, registry, snapshotMetrics);
  }

  private void rebuild() {
    Optional<SnapshotStore.Published> previous = store.current();
    Map<ObjectRef, ObjectReport> before = previous.map(p -> p.result().reports()).orElse(Map.of());
    SnapshotStore.Published published =
        compileTimer.record(
            () -> {
              CompileResult result = compiler.compile(sources.snapshot());
              Snapshot content = SnapshotTranslator.translate(result.graph());
              return store.publish(content, result);
            });
    logChangedReports(before, published.result().reports());
    // Certificates expire without any object changing: compile again when one does. At most a day
    // ahead, so a far date never becomes a timer this process outlives.
    published
        .result()
        .recompileAt()
        .map(at -> Duration.between(Instant.now(), at))
        .map(d -> d.compareTo(MAX_TIMER) > 0 ? MAX_TIMER : d)
        .ifPresent(scheduler::requestAfter);
    if (!previous
        .map(p -> p.result().problems())
        .orElse(List.of())
        .equals(published.result().problems())) {
      published.result().problems().forEach(p -> log.warn("{} ({})", p.message(), p.reason()));
    }
    if (previous.map(p -> p.version() == published.version()).orElse(false)) {
      return; // same content: EndpointSlice churn that changed nothing served is not worth a line
    }
    log.info(
        "snapshot version {} ({} virtual hosts, {} clusters, {} certificates, digest {})",
        published.version(),
        published.snapshot().getVirtualHostsCount(),
        published.snapshot().getClustersCount(),
        published.snapshot().getCertificatesCount(),
        published.snapshot().getDigest().substring(0, 12));
  }

  /** Logs problems as they appear, so standalone users (who have no status) see them too. */
  private static void logChangedReports(
      Map<ObjectRef, ObjectReport> before, Map<ObjectRef, ObjectReport> after) {
    after.forEach(
        (ref, report) -> {
          if (Objects.equals(before.get(ref), report)) {
            return;
          }
          report
              .rejection()
              .ifPresent(p -> log.warn("{} rejected ({}): {}", ref, p.reason(), p.message()));
          report
              .unresolvedRefs()
              .forEach(
                  p ->
                      log.warn(
                          BACKEND_REASONS.contains(p.reason())
                              ? "{}: {} ({}); its rules answer 503"
                              : "{}: {} ({})",
                          ref,
                          p.message(),
                          p.reason()));
        });
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
