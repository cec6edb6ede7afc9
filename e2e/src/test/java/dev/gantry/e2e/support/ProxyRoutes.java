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
  public static final String DELEGATION_CRD = "tlscertificatedelegations.gantry.dev";
  private static final Path DELEGATION_CRD_FILE =
      Path.of("../crds/tlscertificatedelegations.gantry.dev-v1.yml");

  private ProxyRoutes() {}

  /**
   * Applies the CRDs checked in under crds/ (ProxyRoute and TLSCertificateDelegation) and waits
   * until the API server serves them.
   */
  public static void installCrd(KubernetesClient client) {
    for (Path file : new Path[] {CRD_FILE, DELEGATION_CRD_FILE}) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(file.toFile()).item();
      client.resource(crd).forceConflicts().serverSideApply();
    }
    awaitEstablished(client, CRD);
    awaitEstablished(client, DELEGATION_CRD);
  }

  /** Waits until the ProxyRoute CRD is Established, i.e. ProxyRoutes can be created. */
  public static void awaitEstablished(KubernetesClient client) {
    awaitEstablished(client, CRD);
  }

  /** Waits until the CRD {@code name} is Established. */
  public static void awaitEstablished(KubernetesClient client, String name) {
    await()
        .until(
            () -> {
              CustomResourceDefinition crd =
                  client.apiextensions().v1().customResourceDefinitions().withName(name).get();
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
