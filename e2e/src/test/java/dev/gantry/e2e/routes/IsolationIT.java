package dev.gantry.e2e.routes;

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
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One bad object among a hundred good ones, on a real kube-apiserver: the hundred are served, the
 * bad one is refused with a status that names the problem, and fixing it serves it too.
 */
@ExtendWith(KubeApiServerExtension.class)
class IsolationIT {
  private static final int GOOD = 100;

  private LoopbackBackend backend;
  private GantryOperator operator;
  private ManagedChannel channel;
  private Dataplane dataplane;

  @AfterEach
  void stop() throws Exception {
    if (dataplane != null) {
      dataplane.close();
      channel.shutdownNow();
    }
    if (operator != null) {
      operator.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private static void apply(KubernetesClient client, String ns, String yaml) {
    client
        .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace(ns)
        .forceConflicts()
        .serverSideApply();
  }

  private static String route(int i, String pattern) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: route-%d}
        spec:
          hostnames: [r%d.isolation.example.com]
          rules:
            - matches: [{path: {type: RegularExpression, value: "%s"}}]
              backendRefs: [{name: app, port: 80}]
        """
        .formatted(i, i, pattern);
  }

  @Test
  void oneInvalidRouteAmongAHundredAffectsOnlyItself(KubeApiServer api, TestNamespace namespace)
      throws Exception {
    KubernetesClient client = api.client();
    String ns = namespace.name();
    ProxyRoutes.installCrd(client);
    backend = new LoopbackBackend("app");
    LoopbackServices.create(client, ns, "app", backend.port());
    IntStream.range(0, GOOD).forEach(i -> apply(client, ns, route(i, "/items/[0-9]+")));
    // Valid for the schema, refused by the compiler: not a pattern at all.
    apply(client, ns, route(GOOD, "/items/("));

    operator =
        GantryOperator.start(
            OperatorConfig.defaults()
                .withPorts(0, 0)
                .withBindAddress("127.0.0.1")
                .withWatchNamespace(Optional.of(ns))
                .withLeaderElection(
                    Optional.of(new OperatorConfig.Lease("gantry-operator", ns, "isolation"))),
            client);
    channel = DataplaneChannels.forTarget("127.0.0.1:" + operator.grpcPort());
    dataplane =
        Dataplane.start(
            DataplaneConfig.defaults("isolation")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)),
            channel);

    try (HttpConnection c = new HttpConnection(dataplane.httpPort())) {
      await()
          .untilAsserted(
              () ->
                  assertThat(c.get("r0.isolation.example.com", "/items/1").status())
                      .isEqualTo(200));
      for (int i = 0; i < GOOD; i++) {
        assertThat(c.get("r" + i + ".isolation.example.com", "/items/" + i).body())
            .isEqualTo("app /items/" + i + "\n");
      }
      assertThat(c.get("r" + GOOD + ".isolation.example.com", "/a").status()).isEqualTo(404);
    }
    await()
        .untilAsserted(
            () -> {
              Condition accepted = condition(client, ns, "route-" + GOOD, "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("Invalid");
              assertThat(accepted.getMessage()).contains("spec.rules[0].matches[0].path.value");
            });
    await()
        .untilAsserted(
            () ->
                assertThat(condition(client, ns, "route-42", "Programmed").getStatus())
                    .isEqualTo("True"));

    apply(client, ns, route(GOOD, "/a+"));
    try (HttpConnection c = new HttpConnection(dataplane.httpPort())) {
      await()
          .untilAsserted(
              () ->
                  assertThat(c.get("r" + GOOD + ".isolation.example.com", "/aaa").body())
                      .isEqualTo("app /aaa\n"));
    }
  }

  private static Condition condition(KubernetesClient client, String ns, String name, String type) {
    ProxyRoute r = client.resources(ProxyRoute.class).inNamespace(ns).withName(name).get();
    if (r == null || r.getStatus() == null || r.getStatus().conditions() == null) {
      return new Condition();
    }
    return r.getStatus().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(new Condition());
  }
}
