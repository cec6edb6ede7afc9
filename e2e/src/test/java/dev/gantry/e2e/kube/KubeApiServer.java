package dev.gantry.e2e.kube;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * A running kube-apiserver (with etcd, and nothing else: no scheduler, controllers or kubelet).
 *
 * <p>One instance is shared by every test in the JVM; tests must not close {@link #client()} and
 * should keep to namespaces of their own ({@link #createNamespace(String)}).
 *
 * @param kubeconfigYaml a kubeconfig for a cluster-admin client; it refers to certificate files on
 *     this machine
 * @param client a cluster-admin client, closed when the JVM's tests end
 * @param version the server's version as kube-api-test resolved it, e.g. {@code 1.36.3}
 */
public record KubeApiServer(String kubeconfigYaml, KubernetesClient client, String version) {

  /** Labels every namespace the harness creates, so leftovers can be told apart. */
  public static final String TEST_NAMESPACE_LABEL = "e2e.gantry.dev/test-namespace";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_NAME_LENGTH = 63;
  private static final int SUFFIX_LENGTH = 5;

  public KubeApiServer {
    requireNonNull(kubeconfigYaml, "kubeconfigYaml");
    requireNonNull(client, "client");
    requireNonNull(version, "version");
  }

  /**
   * Creates a namespace named after {@code hint} with a random suffix, e.g. {@code
   * helm-chart-it-x7k2q}, and returns its name. Namespaces are never deleted: without a
   * controller-manager they would stay Terminating, and etcd's data goes away with the server.
   */
  public String createNamespace(String hint) {
    String name = namespaceName(hint);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(TEST_NAMESPACE_LABEL, "true")
                .endMetadata()
                .build())
        .create();
    return name;
  }

  static String namespaceName(String hint) {
    requireNonNull(hint, "hint");
    String base =
        hint.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]+", "-")
            .replaceAll("-{2,}", "-")
            .replaceAll("^-|-$", "");
    if (base.isEmpty()) {
      base = "test";
    }
    int maxBase = MAX_NAME_LENGTH - SUFFIX_LENGTH - 1;
    if (base.length() > maxBase) {
      base = base.substring(0, maxBase).replaceAll("-+$", "");
    }
    return base + "-" + randomSuffix();
  }

  private static String randomSuffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return suffix.toString();
  }
}
