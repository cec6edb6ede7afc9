package dev.gantry.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeApiTestBinariesTest {

  @Test
  void looksInTheVersionFolderUnderTheTestDir(@TempDir Path dir) {
    var binaries =
        KubeApiTestBinaries.fromEnvironment(
            Map.of(
                "KUBE_API_TEST_DIR", dir.toString(), "KUBE_API_TEST_API_SERVER_VERSION", "1.35.4"));

    assertThat(binaries.version()).isEqualTo("1.35.4");
    assertThat(binaries.binaryDir().getParent()).isEqualTo(dir.resolve("k8s"));
    assertThat(binaries.binaryDir().getFileName().toString()).startsWith("1.35.4-");
  }

  @Test
  void defaultsToTheProjectCacheAndPinnedVersion() {
    var binaries = KubeApiTestBinaries.fromEnvironment(Map.of());

    assertThat(binaries.version()).isEqualTo(KubeApiTestBinaries.DEFAULT_VERSION);
    assertThat(binaries.testDir())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "gantry", "kubeapitest"));
  }

  @Test
  void reportsEachMissingBinaryAndHowToBuildThem(@TempDir Path dir) throws IOException {
    var binaries = KubeApiTestBinaries.fromEnvironment(Map.of("KUBE_API_TEST_DIR", dir.toString()));
    Files.createDirectories(binaries.binaryDir());
    Path etcd = Files.createFile(binaries.binaryDir().resolve("etcd"));
    etcd.toFile().setExecutable(true);

    assertThat(binaries.missing()).containsExactly("kube-apiserver", "kubectl");
    assertThat(binaries.describeMissing()).contains(".ci/kube-test-binaries.sh");
  }

  @Test
  void rejectsVersionsWithALeadingV() {
    assertThatThrownBy(
            () ->
                KubeApiTestBinaries.fromEnvironment(
                    Map.of("KUBE_API_TEST_API_SERVER_VERSION", "v1.36.3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: N.N.N");
  }
}
