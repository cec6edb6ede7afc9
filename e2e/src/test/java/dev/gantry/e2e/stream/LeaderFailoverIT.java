package dev.gantry.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.dataplane.Dataplane;
import dev.gantry.dataplane.DataplaneChannels;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.HttpConnection;
import dev.gantry.e2e.support.LoopbackBackend;
import dev.gantry.e2e.support.LoopbackServices;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operator replicas on a real kube-apiserver, one Lease (15 s / 10 s / 2 s). Both watch,
 * compile and serve snapshots; only the leader writes status, counting the dataplanes of both. The
 * leader goes away while a client sends requests through a dataplane streaming from the other
 * replica: every request succeeds, the other replica takes the Lease, and a route created after the
 * failover is served and gets its status from the new leader.
 */
@ExtendWith(KubeApiServerExtension.class)
class LeaderFailoverIT {

  private static OperatorConfig replica(String ns, String identity) {
    return OperatorConfig.defaults()
        .withPorts(0, 0)
        .withBindAddress("127.0.0.1")
        .withWatchNamespace(Optional.of(ns))
        .withLeaderElection(Optional.of(new OperatorConfig.Lease("gantry-operator", ns, identity)));
  }

  private static void apply(KubernetesClient client, String ns, String yaml) {
    client
        .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace(ns)
        .create();
  }

  private static String route(String name, String host) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: %s}
        spec:
          hostnames: [%s]
          rules: [{backendRefs: [{name: web, port: 80}]}]
        """
        .formatted(name, host);
  }

  private static String holder(KubernetesClient client, String ns) {
    var lease = client.leases().inNamespace(ns).withName("gantry-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static Condition programmed(KubernetesClient client, String ns, String name) {
    ProxyRoute r = client.resources(ProxyRoute.class).inNamespace(ns).withName(name).get();
    if (r == null || r.getStatus() == null || r.getStatus().conditions() == null) {
      return new Condition();
    }
    return r.getStatus().conditions().stream()
        .filter(c -> c.getType().equals("Programmed"))
        .findFirst()
        .orElse(new Condition());
  }

  @Test
  void trafficKeepsFlowingAndTheOtherReplicaTakesOverStatus(
      KubeApiServer api, TestNamespace namespace) throws Exception {
    KubernetesClient client = api.client();
    String ns = namespace.name();
    ProxyRoutes.installCrd(client);
    String before = "before." + ns + ".test";
    String after = "after." + ns + ".test";
    try (LoopbackBackend web = new LoopbackBackend("web")) {
      LoopbackServices.create(client, ns, "web", web.port());
      apply(client, ns, route("before", before));
      GantryOperator first = GantryOperator.start(replica(ns, "first"), client);
      await().until(() -> "first".equals(holder(client, ns)));
      GantryOperator second = GantryOperator.start(replica(ns, "second"), client);
      ManagedChannel channel = DataplaneChannels.forTarget("127.0.0.1:" + second.grpcPort());
      Dataplane dataplane =
          Dataplane.start(
              DataplaneConfig.defaults("failover")
                  .withHttp(Listener.loopback(0))
                  .withAdmin(Listener.loopback(0)),
              channel);
      try (HttpConnection c = new HttpConnection(dataplane.httpPort())) {
        await().untilAsserted(() -> assertThat(c.get(before, "/").status()).isEqualTo(200));
      }
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger served = new AtomicInteger();
      Map<Integer, Integer> failures = new ConcurrentHashMap<>();
      Thread traffic =
          Thread.ofPlatform()
              .name("failover-traffic")
              .start(
                  () -> {
                    while (running.get()) {
                      try (HttpConnection c = new HttpConnection(dataplane.httpPort())) {
                        int status = c.get(before, "/").status();
                        if (status == 200) {
                          served.incrementAndGet();
                        } else {
                          failures.merge(status, 1, Integer::sum);
                        }
                      } catch (Exception e) {
                        failures.merge(-1, 1, Integer::sum);
                      }
                    }
                  });
      try {
        await().until(() -> served.get() > 0);
        // The dataplane streams from the follower, which reports its ACKs to the leader: the
        // leader counts it.
        await()
            .untilAsserted(
                () ->
                    assertThat(programmed(client, ns, "before"))
                        .extracting(Condition::getStatus, Condition::getMessage)
                        .containsExactly("True", "served by 1 dataplane"));

        first.close(); // the leader goes away
        await().atMost(Duration.ofSeconds(60)).until(() -> "second".equals(holder(client, ns)));
        apply(client, ns, route("after", after));

        try (HttpConnection c = new HttpConnection(dataplane.httpPort())) {
          await().untilAsserted(() -> assertThat(c.get(after, "/").body()).isEqualTo("web /\n"));
        }
        await()
            .untilAsserted(
                () -> assertThat(programmed(client, ns, "after").getStatus()).isEqualTo("True"));
        int servedBefore = served.get();
        await().until(() -> served.get() > servedBefore);
      } finally {
        running.set(false);
        traffic.join();
        dataplane.close();
        channel.shutdownNow();
        second.close();
      }
      assertThat(failures).as("requests that did not get 200 during the failover").isEmpty();
      assertThat(served.get()).isPositive();
      assertThat(List.of(holder(client, ns))).containsExactly("second");
    }
  }
}
