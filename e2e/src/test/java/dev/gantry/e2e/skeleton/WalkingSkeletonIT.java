package dev.gantry.e2e.skeleton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.DirectResponse;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.Rule;
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
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The walking skeleton end to end: a ProxyRoute created in a real kube-apiserver becomes traffic
 * through the Netty dataplane, with the operator and the dataplane talking real gRPC over loopback.
 */
@ExtendWith(KubeApiServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {
  private static KubernetesClient client;
  private static String ns;
  private static LoopbackBackend alpha;
  private static LoopbackBackend beta;
  private static GantryOperator operator;
  private static ManagedChannel channel;
  private static Dataplane dataplane;

  @BeforeAll
  static void start(KubeApiServer api, TestNamespace namespace) throws Exception {
    client = api.client();
    ns = namespace.name();
    ProxyRoutes.installCrd(client);

    alpha = new LoopbackBackend("alpha");
    beta = new LoopbackBackend("beta");
    createService("alpha", alpha.port());
    createService("beta", beta.port());

    OperatorConfig config =
        OperatorConfig.defaults()
            .withPorts(0, 0)
            .withBindAddress("127.0.0.1")
            .withWatchNamespace(Optional.of(ns))
            // As in the chart: status is written by whoever holds the Lease.
            .withLeaderElection(
                Optional.of(new OperatorConfig.Lease("gantry-operator", ns, "walking-skeleton")));
    operator = GantryOperator.start(config, client);
    channel = DataplaneChannels.forTarget("127.0.0.1:" + operator.grpcPort());
    dataplane =
        Dataplane.start(
            DataplaneConfig.defaults("e2e-dataplane")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)),
            channel);
  }

  @AfterAll
  static void stop() throws Exception {
    if (dataplane != null) {
      dataplane.close();
      channel.shutdownNow();
    }
    if (operator != null) {
      operator.close();
    }
    if (alpha != null) {
      alpha.close();
    }
    if (beta != null) {
      beta.close();
    }
  }

  private static void createService(String name, int backendPort) {
    LoopbackServices.create(client, ns, name, backendPort);
  }

  private static ProxyRoute route(String name, String host, List<Rule> rules) {
    return ProxyRoutes.route(ns, name, List.of(host), rules);
  }

  private static Condition condition(String route, String type) {
    ProxyRoute r = client.resources(ProxyRoute.class).inNamespace(ns).withName(route).get();
    if (r.getStatus() == null || r.getStatus().conditions() == null) {
      return new Condition();
    }
    return r.getStatus().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(new Condition());
  }

  private static HttpConnection.Response get(String host, String path) throws Exception {
    try (HttpConnection c = new HttpConnection(dataplane.httpPort())) {
      return c.get(host, path);
    }
  }

  @Test
  @Order(1)
  void routesARequestToTheBackendAndReportsTheRouteProgrammed() throws Exception {
    ProxyRoute created =
        client
            .resource(route("web", "web.example.com", List.of(ProxyRoutes.forward("/", "alpha"))))
            .create();

    await()
        .untilAsserted(
            () ->
                assertThat(get("web.example.com", "/shop/cart").body())
                    .isEqualTo("alpha /shop/cart\n"));
    assertThat(alpha.requests().getLast().getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(alpha.requests().getLast().getFirst("X-Forwarded-Host"))
        .isEqualTo("web.example.com");
    assertThat(alpha.requests().getLast().getFirst("X-Forwarded-Proto")).isEqualTo("http");

    assertThat(
            client
                .leases()
                .inNamespace(ns)
                .withName("gantry-operator")
                .get()
                .getSpec()
                .getHolderIdentity())
        .as("the status writer holds the Lease")
        .isEqualTo("walking-skeleton");
    long generation = created.getMetadata().getGeneration();
    await()
        .untilAsserted(
            () -> {
              for (String type : List.of("Accepted", "ResolvedRefs", "Programmed")) {
                assertThat(condition("web", type))
                    .as(type)
                    .extracting(Condition::getStatus, Condition::getObservedGeneration)
                    .containsExactly("True", generation);
              }
            });
    assertThat(
            client
                .resources(ProxyRoute.class)
                .inNamespace(ns)
                .withName("web")
                .get()
                .getStatus()
                .observedGeneration())
        .isEqualTo(generation);
  }

  @Test
  @Order(2)
  void answers404ForAHostNoRouteServes() throws Exception {
    assertThat(get("nothing.example.com", "/").status()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void servesAnUpdateWithoutClosingAnOpenKeepAliveConnection() throws Exception {
    client
        .resource(route("switch", "switch.example.com", List.of(ProxyRoutes.forward("/", "alpha"))))
        .create();
    try (HttpConnection kept = new HttpConnection(dataplane.httpPort())) {
      await()
          .untilAsserted(
              () -> assertThat(get("switch.example.com", "/").body()).isEqualTo("alpha /\n"));
      assertThat(kept.get("switch.example.com", "/").body()).isEqualTo("alpha /\n");

      client
          .resources(ProxyRoute.class)
          .inNamespace(ns)
          .withName("switch")
          .edit(
              r ->
                  route("switch", "switch.example.com", List.of(ProxyRoutes.forward("/", "beta"))));

      // Every probe goes over the same connection: had the swap closed it, get() would throw.
      await()
          .untilAsserted(
              () -> assertThat(kept.get("switch.example.com", "/").body()).isEqualTo("beta /\n"));
    }
    await()
        .untilAsserted(
            () ->
                assertThat(condition("switch", "Programmed"))
                    .extracting(Condition::getStatus, Condition::getObservedGeneration)
                    .containsExactly("True", 2L));
  }

  @Test
  @Order(4)
  void aRuleWithAMissingServiceAnswers503WhileTheOtherRulesWork() throws Exception {
    client
        .resource(
            route(
                "partial",
                "partial.example.com",
                List.of(
                    ProxyRoutes.forward("/missing", "nothere"), ProxyRoutes.forward("/", "alpha"))))
        .create();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("partial", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "BackendNotFound"));
    assertThat(condition("partial", "ResolvedRefs").getMessage())
        .contains("Service " + ns + "/nothere not found");
    assertThat(condition("partial", "Accepted").getStatus()).isEqualTo("True");

    await()
        .untilAsserted(
            () -> assertThat(get("partial.example.com", "/").body()).isEqualTo("alpha /\n"));
    assertThat(get("partial.example.com", "/missing/x").status()).isEqualTo(503);
  }

  @Test
  @Order(5)
  void anInvalidRouteIsNotAcceptedAndSaysWhy() throws Exception {
    client
        .resource(
            route(
                "bad",
                "Bad_Host",
                List.of(
                    new Rule(
                        null,
                        null,
                        new DirectResponse(200, "never\n"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null))))
        .create();

    await()
        .untilAsserted(
            () ->
                assertThat(condition("bad", "Accepted"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "Invalid"));
    assertThat(condition("bad", "Accepted").getMessage()).contains("Bad_Host");
    assertThat(get("web.example.com", "/").body()).isEqualTo("alpha /\n");
  }

  @Test
  @Order(6)
  void theDataplaneKeepsServingWhenTheOperatorStops() throws Exception {
    operator.close(); // returns once its gRPC server has terminated: the stream is gone
    operator = null;
    assertThat(get("web.example.com", "/after").body()).isEqualTo("alpha /after\n");
    assertThat(get("partial.example.com", "/missing").status()).isEqualTo(503);
  }
}
