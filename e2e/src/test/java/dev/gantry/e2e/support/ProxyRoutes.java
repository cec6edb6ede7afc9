package dev.gantry.e2e.support;

import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.BackendRef;
import dev.gantry.crds.v1alpha1.Match;
import dev.gantry.crds.v1alpha1.PathMatch;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.Rule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;

/** The ProxyRoute CRD and ProxyRoutes as the e2e tests create them. */
public final class ProxyRoutes {
  public static final String CRD = "proxyroutes.gantry.dev";
  private static final Path CRD_FILE = Path.of("../crds/proxyroutes.gantry.dev-v1.yml");

  private ProxyRoutes() {}

  /** Applies the CRD checked in under crds/ and waits until the API server serves it. */
  public static void installCrd(KubernetesClient client) {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().load(CRD_FILE.toFile()).item();
    client.resource(crd).forceConflicts().serverSideApply();
    awaitEstablished(client);
  }

  /** Waits until the ProxyRoute CRD is Established, i.e. ProxyRoutes can be created. */
  public static void awaitEstablished(KubernetesClient client) {
    await()
        .until(
            () -> {
              CustomResourceDefinition crd =
                  client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
              return crd != null
                  && crd.getStatus() != null
                  && crd.getStatus().getConditions().stream()
                      .anyMatch(
                          c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
  }

  /** Returns a ProxyRoute for {@code hostnames} (none: every host). */
  public static ProxyRoute route(
      String namespace, String name, List<String> hostnames, List<Rule> rules) {
    ProxyRoute route = new ProxyRoute();
    route.getMetadata().setName(name);
    route.getMetadata().setNamespace(namespace);
    route.setSpec(new ProxyRouteSpec(hostnames, rules));
    return route;
  }

  /** Returns a rule sending the paths under {@code prefix} to port 80 of {@code service}. */
  public static Rule forward(String prefix, String service) {
    return new Rule(
        List.of(Match.path(PathMatch.prefix(prefix))),
        List.of(new BackendRef(service, 80, null, null)),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
