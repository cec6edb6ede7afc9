package dev.gantry.e2e.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.HttpConnection;
import dev.gantry.e2e.support.LoopbackBackend;
import dev.gantry.e2e.support.LoopbackServices;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.e2e.support.RunningGantry;
import dev.gantry.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inclusion on a real kube-apiserver: a platform namespace owns a hostname and includes a route
 * another namespace serves under a path prefix; the included route's status says whether and how it
 * is served (orphaned, cycles).
 */
@ExtendWith(KubeApiServerExtension.class)
class IncludeIT {
  private static KubernetesClient client;
  private static String platform;
  private static String team;
  private static String host;
  private static LoopbackBackend web;
  private static LoopbackBackend blog;
  private static RunningGantry gantry;

  @BeforeAll
  static void start(KubeApiServer api, TestNamespace namespace) throws Exception {
    client = api.client();
    platform = namespace.name();
    team = platform + "-team";
    host = platform + ".shop.example.com";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(team).endMetadata().build())
        .create();
    ProxyRoutes.installCrd(client);
    web = new LoopbackBackend("web");
    blog = new LoopbackBackend("blog");
    LoopbackServices.create(client, platform, "web", web.port());
    LoopbackServices.create(client, team, "blog", blog.port());

    gantry =
        RunningGantry.start(
            client,
            OperatorConfig.defaults()
                .withWatchNamespace(Optional.empty()) // the include crosses namespaces
                .withLeaderElection(
                    Optional.of(new OperatorConfig.Lease("gantry-operator", platform, "include"))),
            "include-dataplane");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gantry != null) {
      gantry.close();
    }
    if (web != null) {
      web.close();
    }
    if (blog != null) {
      blog.close();
    }
  }

  private static void apply(String namespace, String yaml) {
    client
        .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace(namespace)
        .createOr(existing -> existing.update());
  }

  private static Condition condition(String namespace, String route, String type) {
    ProxyRoute r = client.resources(ProxyRoute.class).inNamespace(namespace).withName(route).get();
    if (r == null || r.getStatus() == null || r.getStatus().conditions() == null) {
      return new Condition();
    }
    return r.getStatus().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(new Condition());
  }

  private static HttpConnection.Response get(String path) throws Exception {
    return gantry.get(host, path);
  }

  @Test
  void aHostnameOwnerServesAnotherNamespacesRouteUnderItsPrefix() throws Exception {
    apply(
        team,
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: blog}
        spec:
          includable: true
          rules:
            - matches: [{path: {type: PathPrefix, value: /posts}}]
              backendRefs: [{name: blog, port: 80}]
        """);
    apply(
        platform,
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: shop}
        spec:
          hostnames: [%s]
          rules:
            - backendRefs: [{name: web, port: 80}]
          includes:
            - {name: blog, namespace: %s, pathPrefix: /blog}
        """
            .formatted(host, team));

    await()
        .untilAsserted(
            () -> assertThat(get("/blog/posts/1").body()).isEqualTo("blog /blog/posts/1\n"));
    assertThat(get("/blog").body()).isEqualTo("web /blog\n"); // the blog serves /posts only
    assertThat(get("/cart").body()).isEqualTo("web /cart\n");
    await()
        .untilAsserted(
            () -> {
              for (String type : new String[] {"Accepted", "ResolvedRefs", "Programmed"}) {
                assertThat(condition(team, "blog", type).getStatus()).as(type).isEqualTo("True");
              }
            });
  }

  @Test
  void anIncludableRouteThatNothingIncludesIsOrphanedAndNotServed() {
    apply(
        team,
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: lonely}
        spec:
          includable: true
          rules:
            - directResponse: {status: 200, body: "lonely\\n"}
        """);

    await()
        .untilAsserted(
            () ->
                assertThat(condition(team, "lonely", "Accepted"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "Orphaned"));
    assertThat(condition(team, "lonely", "Programmed").getMessage())
        .isEqualTo("not served: no route includes it");
  }

  @Test
  void aMissingIncludeAndACycleAreReportedOnTheRouteThatIncludes() throws Exception {
    apply(
        team,
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: loop}
        spec:
          includable: true
          rules:
            - directResponse: {status: 200, body: "loop\\n"}
          includes:
            - {name: loop, pathPrefix: /again}
        """);
    apply(
        platform,
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: loops}
        spec:
          hostnames: [loops.%s]
          rules:
            - directResponse: {status: 200, body: "root\\n"}
          includes:
            - {name: loop, namespace: %s, pathPrefix: /loop}
            - {name: nowhere, namespace: %s, pathPrefix: /nowhere}
        """
            .formatted(host, team, team));

    await()
        .untilAsserted(
            () ->
                assertThat(condition(platform, "loops", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "IncludeNotFound"));
    assertThat(condition(platform, "loops", "ResolvedRefs").getMessage())
        .contains("spec.includes[1] (" + team + "/nowhere): no such ProxyRoute");
    await()
        .untilAsserted(
            () ->
                assertThat(condition(team, "loop", "ResolvedRefs"))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "IncludeCycle"));
    await()
        .untilAsserted(
            () -> assertThat(gantry.get("loops." + host, "/loop/x").body()).isEqualTo("loop\n"));
  }
}
