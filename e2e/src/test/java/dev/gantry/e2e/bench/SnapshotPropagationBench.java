package dev.gantry.e2e.bench;

import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.dataplane.Dataplane;
import dev.gantry.dataplane.DataplaneChannels;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import dev.gantry.operator.compile.CompileResult;
import dev.gantry.operator.compile.RouteCompiler;
import dev.gantry.operator.compile.Sources;
import dev.gantry.operator.translate.SnapshotTranslator;
import dev.gantry.protocol.v1.Snapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Snapshot compile time and propagation at 100, 1,000 and 10,000 ProxyRoutes on a real
 * kube-apiserver, with {@code bench.dataplanes} dataplanes connected (not a test: run by {@code
 * bench/snapshots.sh}). Per size it prints: the compile and translate time of the whole world (the
 * compiler called directly, median of 5 after 3 warm-ups), the snapshot's size, how long the
 * operator took from its start to every dataplane serving the first snapshot, and the time from one
 * route's change (an update through the API server) until every dataplane has applied the snapshot
 * holding it (median and max of {@code bench.changes} changes, one after the other; the operator
 * holds changes back 100 ms to coalesce them). Everything shares one JVM and the machine's CPUs.
 */
@ExtendWith(KubeApiServerExtension.class)
class SnapshotPropagationBench {

  private static final int DATAPLANES = Integer.getInteger("bench.dataplanes", 3);
  private static final int CHANGES = Integer.getInteger("bench.changes", 20);
  private static final int SERVICES = 100;
  private static final Duration LIMIT = Duration.ofMinutes(5);

  @Test
  void compileAndPropagation(KubeApiServer api) throws Exception {
    KubernetesClient client = api.client();
    ProxyRoutes.installCrd(client);
    String sizes = System.getProperty("bench.routes", "100,1000,10000");
    for (int routes : Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray()) {
      run(client, routes);
    }
  }

  private static void run(KubernetesClient client, int routes) throws Exception {
    String ns = "bench-" + routes;
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    long createStart = System.nanoTime();
    createAll(client, ns, routes);
    double createSeconds = (System.nanoTime() - createStart) / 1e9;

    // The compiler alone, on the world as the API server lists it.
    Sources sources =
        new Sources(
            client.resources(ProxyRoute.class).inNamespace(ns).list().getItems(),
            client.services().inNamespace(ns).list().getItems(),
            client.discovery().v1().endpointSlices().inNamespace(ns).list().getItems(),
            List.of());
    RouteCompiler compiler = new RouteCompiler();
    long[] compileNanos = new long[5];
    long[] translateNanos = new long[5];
    Snapshot snapshot = null;
    for (int i = -3; i < 5; i++) {
      long t0 = System.nanoTime();
      CompileResult result = compiler.compile(sources);
      long t1 = System.nanoTime();
      snapshot = SnapshotTranslator.translate(result.graph());
      long t2 = System.nanoTime();
      if (i >= 0) {
        compileNanos[i] = t1 - t0;
        translateNanos[i] = t2 - t1;
      }
    }

    long start = System.nanoTime();
    try (GantryOperator operator =
            GantryOperator.start(
                OperatorConfig.defaults()
                    .withPorts(0, 0)
                    .withBindAddress("127.0.0.1")
                    .withWatchNamespace(Optional.of(ns)),
                client);
        Dataplanes dataplanes = new Dataplanes(operator.grpcPort())) {
      // Every route of the world served everywhere: the first snapshot holds them all.
      await()
          .atMost(LIMIT)
          .pollInterval(Duration.ofMillis(5))
          .until(() -> dataplanes.all(d -> d.currentVersion() > 0));
      double firstSeconds = (System.nanoTime() - start) / 1e9;

      long[] published = new long[CHANGES];
      long[] propagation = new long[CHANGES];
      for (int c = 0; c < CHANGES; c++) {
        long before = operator.controlPlane().store().current().orElseThrow().version();
        await()
            .atMost(LIMIT)
            .pollInterval(Duration.ofMillis(1))
            .until(() -> dataplanes.all(d -> d.currentVersion() == before));
        long t0 = System.nanoTime();
        client.resource(route(ns, 0, "v" + c)).forceConflicts().serverSideApply();
        await()
            .atMost(LIMIT)
            .pollInterval(Duration.ofMillis(1))
            .until(
                () -> operator.controlPlane().store().current().orElseThrow().version() > before);
        published[c] = System.nanoTime() - t0;
        await()
            .atMost(LIMIT)
            .pollInterval(Duration.ofMillis(1))
            .until(() -> dataplanes.all(d -> d.currentVersion() > before));
        propagation[c] = System.nanoTime() - t0;
      }
      Arrays.sort(published);
      Arrays.sort(propagation);
      System.out.printf(
          "snapshot-bench routes=%d dataplanes=%d create_s=%.1f compile_ms=%.1f"
              + " translate_ms=%.1f snapshot_bytes=%d first_snapshot_everywhere_s=%.2f"
              + " change_to_published_ms_p50=%.0f change_to_applied_ms_p50=%.0f"
              + " change_to_applied_ms_max=%.0f%n",
          routes,
          DATAPLANES,
          createSeconds,
          median(compileNanos) / 1e6,
          median(translateNanos) / 1e6,
          snapshot.getSerializedSize(),
          firstSeconds,
          published[CHANGES / 2] / 1e6,
          propagation[CHANGES / 2] / 1e6,
          propagation[CHANGES - 1] / 1e6);
    }
    client.namespaces().withName(ns).delete();
  }

  /** Creates the Services, EndpointSlices and ProxyRoutes, eight requests at a time. */
  private static void createAll(KubernetesClient client, String ns, int routes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> pending = new ArrayList<>();
      for (int s = 0; s < SERVICES; s++) {
        int i = s;
        pending.add(pool.submit(() -> client.resource(service(ns, i)).create()));
        pending.add(pool.submit(() -> client.resource(slice(ns, i)).create()));
      }
      IntStream.range(0, routes)
          .forEach(
              r -> pending.add(pool.submit(() -> client.resource(route(ns, r, "v")).create())));
      for (Future<?> f : pending) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static GenericKubernetesResource service(String ns, int i) {
    return yaml(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: svc-%d, namespace: %s}
        spec: {clusterIP: None, ports: [{name: http, port: 80}]}
        """
            .formatted(i, ns));
  }

  private static GenericKubernetesResource slice(String ns, int i) {
    return yaml(
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: svc-%d-1, namespace: %s, labels: {kubernetes.io/service-name: svc-%d}}
        addressType: FQDN
        ports: [{name: http, port: 8080}]
        endpoints:
          - {addresses: [a.svc-%d.localhost], conditions: {ready: true}}
          - {addresses: [b.svc-%d.localhost], conditions: {ready: true}}
        """
            .formatted(i, ns, i, i, i));
  }

  /** Route {@code r}: its own hostname, a forward, a header match and a direct response. */
  private static GenericKubernetesResource route(String ns, int r, String body) {
    return yaml(
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: route-%d, namespace: %s}
        spec:
          hostnames: [r%d.bench.example.com]
          rules:
            - backendRefs: [{name: svc-%d, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-canary, value: "1"}]}]
              backendRefs: [{name: svc-%d, port: 80}]
              timeouts: {request: 5s}
            - matches: [{path: {type: Exact, value: /version}}]
              directResponse: {status: 200, body: "%s"}
        """
            .formatted(r, ns, r, r % SERVICES, (r + 1) % SERVICES, body));
  }

  private static GenericKubernetesResource yaml(String text) {
    return Serialization.unmarshal(text, GenericKubernetesResource.class);
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** In-process dataplanes, each on its own stream to the operator. */
  private static final class Dataplanes implements AutoCloseable {
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Dataplane> dataplanes = new ArrayList<>();

    Dataplanes(int grpcPort) {
      for (int i = 0; i < DATAPLANES; i++) {
        ManagedChannel channel = DataplaneChannels.forTarget("127.0.0.1:" + grpcPort);
        channels.add(channel);
        dataplanes.add(
            Dataplane.start(
                DataplaneConfig.defaults("bench-" + i)
                    .withHttp(Listener.loopback(0))
                    .withAdmin(Listener.loopback(0)),
                channel));
      }
    }

    boolean all(java.util.function.Predicate<Dataplane> condition) {
      return dataplanes.stream().allMatch(condition);
    }

    @Override
    public void close() {
      dataplanes.forEach(Dataplane::close);
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
