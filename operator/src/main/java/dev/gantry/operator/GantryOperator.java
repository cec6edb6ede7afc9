package dev.gantry.operator;

import dev.gantry.operator.snapshot.PeerReports;
import dev.gantry.operator.snapshot.TokenReviewAuthenticator;
import dev.gantry.operator.status.IngressStatusReconciler;
import dev.gantry.operator.status.ProxyRouteReconciler;
import dev.gantry.operator.status.ReconcileErrors;
import dev.gantry.operator.watch.KubernetesWatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane on a cluster: informers feed the snapshot path on every replica, the gRPC
 * server streams snapshots to dataplanes, and JOSDK runs the status reconciler on the elected
 * leader.
 */
public final class GantryOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GantryOperator.class);

  private final ControlPlane controlPlane;
  private final KubernetesWatcher watcher;
  private final Server grpc;
  private final AdminServer admin;
  private final Operator josdk;
  private final AtomicBoolean closing;

  private GantryOperator(
      ControlPlane controlPlane,
      KubernetesWatcher watcher,
      Server grpc,
      AdminServer admin,
      Operator josdk,
      AtomicBoolean closing) {
    this.closing = closing;
    this.controlPlane = controlPlane;
    this.watcher = watcher;
    this.grpc = grpc;
    this.admin = admin;
    this.josdk = josdk;
  }

  /** Starts everything; returns once the informers have synced and both ports are bound. */
  public static GantryOperator start(OperatorConfig config, KubernetesClient client)
      throws Exception {
    // Whatever started before a failure is stopped again, newest first, so a failed start leaks no
    // port.
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ControlPlane controlPlane =
          new ControlPlane(
              config.holdOff(),
              config.maxDelay(),
              meters,
              config.defaultCertificate(),
              config.ingressClasses(),
              config.nginxConfigMap());
      started.push(controlPlane);
      Server grpc =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(config.bindAddress(), config.grpcPort()))
              .addService(
                  config
                      .dataplaneAuth()
                      .map(
                          auth ->
                              ServerInterceptors.intercept(
                                  controlPlane.snapshotService(),
                                  new TokenReviewAuthenticator(
                                      client,
                                      auth.audience(),
                                      auth.serviceAccounts(),
                                      Clock.systemUTC())))
                      .orElseGet(() -> controlPlane.snapshotService().bindService()))
              .permitKeepAliveTime(10, TimeUnit.SECONDS)
              .keepAliveTime(30, TimeUnit.SECONDS)
              .build()
              .start();
      started.push(() -> grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
      AdminServer admin =
          new AdminServer(
              new InetSocketAddress(config.bindAddress(), config.adminPort()),
              () -> controlPlane.store().current().isPresent(),
              meters);
      started.push(admin);
      KubernetesWatcher watcher =
          new KubernetesWatcher(
              client,
              config.watchNamespace(),
              controlPlane.sources(),
              config.defaultCertificate(),
              config.nginxConfigMap());
      started.push(watcher);
      watcher.start(Duration.ofMinutes(2));

      // With several replicas (a Lease elects the status writer), each tells the others which
      // snapshots its dataplanes applied, so that Programmed counts them all.
      if (config.leaderElection().isPresent()) {
        OperatorConfig.Lease l = config.leaderElection().get();
        PeerReports reports =
            new PeerReports(
                client,
                l.namespace(),
                l.identity(),
                controlPlane.store(),
                controlPlane.registry(),
                Clock.systemUTC());
        reports.start();
        started.push(reports);
      }
      AtomicBoolean closing = new AtomicBoolean();
      Operator josdk = new Operator(o -> configure(o, client, config, closing));
      ReconcileErrors errors = new ReconcileErrors(meters);
      josdk.register(
          new ProxyRouteReconciler(
                  controlPlane.store(), controlPlane.registry(), Clock.systemUTC(), client)
              .countingErrorsIn(errors),
          c -> config.watchNamespace().ifPresent(c::settingNamespace));
      josdk.register(
          new IngressStatusReconciler(
                  controlPlane.store(), client, config.publish(), Clock.systemUTC())
              .countingErrorsIn(errors),
          c -> config.watchNamespace().ifPresent(c::settingNamespace));
      started.push(
          () -> {
            closing.set(true);
            josdk.stop();
          });
      josdk.start();
      if (config.dataplaneAuth().isEmpty()) {
        log.warn(
            "the snapshot stream on port {} is open to every client that reaches it, and snapshots"
                + " carry TLS private keys: pass --dataplane-service-account (the chart does)",
            grpc.getPort());
      }
      log.info(
          "operator serving snapshots on port {}, admin on port {}, watching {}",
          grpc.getPort(),
          admin.port(),
          config.watchNamespace().map(ns -> "namespace " + ns).orElse("all namespaces"));
      return new GantryOperator(controlPlane, watcher, grpc, admin, josdk, closing);
    } catch (Exception | Error e) {
      for (AutoCloseable c : started) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static void configure(
      ConfigurationServiceOverrider o,
      KubernetesClient client,
      OperatorConfig config,
      AtomicBoolean closing) {
    o.withKubernetesClient(client).withCloseClientOnStop(false);
    config
        .leaderElection()
        .ifPresent(
            l ->
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(l.name())
                        .withLeaseNamespace(l.namespace())
                        .withIdentity(l.identity())
                        // JOSDK would call System.exit on a graceful stop too, which in a shutdown
                        // hook hangs the JVM; only a lease lost while running must end the process.
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> log.info("leading: this replica writes status"),
                                () -> lostLease(closing),
                                leader -> log.info("status writer is {}", leader)))
                        .build()));
  }

  /**
   * Ends the process when the Lease is lost while running: JOSDK would otherwise keep reconciling
   * beside the new leader. The pod restarts and rejoins the election; dataplanes reconnect to
   * another replica meanwhile and never stop serving.
   */
  private static void lostLease(AtomicBoolean closing) {
    if (closing.get()) {
      return;
    }
    log.error("lost the status-writer Lease; exiting so that this replica restarts and rejoins");
    // Not on the elector's thread: exit runs shutdown hooks, which stop the elector.
    Thread.ofPlatform().name("gantry-lease-lost").start(() -> System.exit(1));
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  public int adminPort() {
    return admin.port();
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public void close() throws InterruptedException {
    closing.set(true);
    josdk.stop();
    watcher.close();
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    admin.close();
    controlPlane.close();
  }
}
