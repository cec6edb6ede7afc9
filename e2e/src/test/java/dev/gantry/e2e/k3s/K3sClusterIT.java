package dev.gantry.e2e.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.e2e.chart.ChartSources;
import dev.gantry.e2e.support.ProxyRoutes;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The whole system in a real single-node cluster: the chart installed with the Gantry image, a
 * backend, a ProxyRoute, and a request through the dataplane's NodePort.
 *
 * <p>Skipped where no Docker engine runs, and where no image tarball is given ({@code
 * -Dgantry.imageTar=...} or {@code GANTRY_IMAGE_TAR}; built by Jib, see deploy/README.md).
 */
// The image check is declared first so it runs before the container starts: no tarball, no k3s.
@ExtendWith(K3sClusterIT.RequiresGantryImage.class)
@Testcontainers(disabledWithoutDocker = true)
class K3sClusterIT {

  private static final int NODE_PORT = 30080;
  private static final String GANTRY_NAMESPACE = "gantry-system";
  private static final String BACKEND_TEXT = "hello from the echo backend";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.34.6-k3s1"))
          .withExposedPorts(
              K3sContainer.KUBE_SECURE_PORT, K3sContainer.RANCHER_WEBHOOK_PORT, NODE_PORT);

  private static KubernetesClient client;
  private static GantryImage image;

  @BeforeAll
  static void installGantry() throws IOException, InterruptedException {
    image = GantryImage.read(GantryImage.configuredTarball().orElseThrow());
    importIntoK3s(image);
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
            .build();

    new Helm(ChartSources.chartDirectory())
        .install()
        .withName("gantry")
        .withNamespace(GANTRY_NAMESPACE)
        .createNamespace()
        .withKubeConfigContents(K3S.getKubeConfigYaml())
        .set("image.repository", image.repository())
        .set("image.tag", image.tag())
        // Only the imported image: a pull would mean the import did not work.
        .set("image.pullPolicy", "Never")
        .set("dataplane.service.type", "NodePort")
        .set("dataplane.service.nodePort", NODE_PORT)
        .waitReady()
        .withTimeout((int) READY_TIMEOUT.toSeconds())
        .call();
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void routesRequestsThroughTheDataplaneToTheBackend() {
    String namespace = "echo";
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    createEchoBackend(namespace);
    createProxyRoute(namespace);

    URI proxy = URI.create("http://" + K3S.getHost() + ":" + K3S.getMappedPort(NODE_PORT) + "/");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      await()
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                HttpResponse<String> response =
                    http.send(
                        HttpRequest.newBuilder(proxy).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains(BACKEND_TEXT);
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no answer from the backend through " + proxy + "\n" + diagnostics(namespace), e);
    }
  }

  private static void importIntoK3s(GantryImage image) throws IOException, InterruptedException {
    String inContainer = "/tmp/gantry-image.tar";
    K3S.copyFileToContainer(MountableFile.forHostPath(image.tarball()), inContainer);
    ExecResult result =
        K3S.execInContainer("ctr", "--namespace", "k8s.io", "images", "import", inContainer);
    assertThat(result.getExitCode())
        .as("ctr images import %s: %s%s", image.tarball(), result.getStdout(), result.getStderr())
        .isZero();
  }

  private static void createEchoBackend(String namespace) {
    Map<String, String> labels = Map.of("app", "echo");
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("echo")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("echo")
                .withImage("hashicorp/http-echo:1.0.0")
                .withArgs("-listen=:5678", "-text=" + BACKEND_TEXT)
                .addNewPort()
                .withName("http")
                .withContainerPort(5678)
                .endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    client
        .services()
        .inNamespace(namespace)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("echo")
                .endMetadata()
                .withNewSpec()
                .withSelector(labels)
                .addNewPort()
                .withName("http")
                .withPort(80)
                .withTargetPort(new IntOrString("http"))
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  private static void createProxyRoute(String namespace) {
    client
        .resource(
            ProxyRoutes.route(
                namespace, "echo", List.of(), List.of(ProxyRoutes.forward("/", "echo"))))
        .create();
  }

  /** What a person would look at first: pod states, the route's status and the Gantry logs. */
  private static String diagnostics(String namespace) {
    StringBuilder out = new StringBuilder();
    for (String ns : List.of(GANTRY_NAMESPACE, namespace)) {
      for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
        out.append("pod ")
            .append(ns)
            .append('/')
            .append(pod.getMetadata().getName())
            .append(": ")
            .append(pod.getStatus().getPhase())
            .append(' ')
            .append(
                pod.getStatus().getContainerStatuses().stream()
                    .map(
                        status ->
                            status.getName()
                                + " ready="
                                + status.getReady()
                                + " restarts="
                                + status.getRestartCount())
                    .collect(Collectors.joining(", ")))
            .append('\n');
        if (ns.equals(GANTRY_NAMESPACE)) {
          out.append(
                  client
                      .pods()
                      .inNamespace(ns)
                      .withName(pod.getMetadata().getName())
                      .tailingLines(40)
                      .getLog())
              .append('\n');
        }
      }
    }
    ProxyRoute route =
        client.resources(ProxyRoute.class).inNamespace(namespace).withName("echo").get();
    out.append("proxyroute status: ").append(route == null ? "absent" : route.getStatus());
    return out.toString();
  }

  /** Skips the class, before k3s is started, when no Gantry image tarball is given. */
  static final class RequiresGantryImage implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
      Path tarball = GantryImage.configuredTarball().orElse(null);
      Assumptions.assumeTrue(
          tarball != null,
          "no Gantry image: build it with `./mvnw -B -Pimage -pl cli -am package -DskipTests` and"
              + " pass -D"
              + GantryImage.PROPERTY
              + "=$PWD/cli/target/jib-image.tar (or env "
              + GantryImage.ENV
              + "); see deploy/README.md");
      Assumptions.assumeTrue(
          Files.isRegularFile(tarball),
          "Gantry image tarball "
              + tarball
              + " does not exist ("
              + GantryImage.PROPERTY
              + " / "
              + GantryImage.ENV
              + ")");
    }
  }
}
