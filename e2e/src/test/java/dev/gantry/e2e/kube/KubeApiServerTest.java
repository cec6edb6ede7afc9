package dev.gantry.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubeApiServerTest {

  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

  @Test
  void namesNamespacesAfterTheTestInKebabCase() {
    assertThat(KubeApiServer.namespaceName("HelmChartIT-installsTheChart"))
        .matches("helm-chart-it-installs-the-chart-[a-z0-9]{5}");
  }

  @Test
  void keepsNamesWithinADnsLabel() {
    String name = KubeApiServer.namespaceName("A".repeat(40) + "_" + "b".repeat(40) + "$");

    assertThat(name).hasSizeLessThanOrEqualTo(63).matches(DNS_LABEL);
  }

  @Test
  void givesEachNamespaceItsOwnName() {
    assertThat(KubeApiServer.namespaceName("same"))
        .isNotEqualTo(KubeApiServer.namespaceName("same"));
  }

  @Test
  void namesSomethingEvenFromAnEmptyHint() {
    assertThat(KubeApiServer.namespaceName("--")).matches("test-[a-z0-9]{5}");
  }
}
