package dev.gantry.e2e.kube;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where kube-api-test finds kube-apiserver, etcd and kubectl offline: {@code
 * <testDir>/k8s/<version>-<os>-<arch>/}. Built by {@code .ci/kube-test-binaries.sh}; nothing is
 * ever downloaded.
 */
record KubeApiTestBinaries(Path testDir, String version, Path binaryDir) {

  static final String TEST_DIR_ENV = "KUBE_API_TEST_DIR";
  static final String VERSION_ENV = "KUBE_API_TEST_API_SERVER_VERSION";
  static final String DEFAULT_VERSION = "1.36.3";
  static final List<String> BINARIES = List.of("kube-apiserver", "etcd", "kubectl");

  KubeApiTestBinaries {
    requireNonNull(testDir, "testDir");
    requireNonNull(version, "version");
    requireNonNull(binaryDir, "binaryDir");
  }

  /**
   * Returns the location named by {@code KUBE_API_TEST_DIR} and {@code
   * KUBE_API_TEST_API_SERVER_VERSION}, or the defaults.
   */
  static KubeApiTestBinaries fromEnvironment(Map<String, String> env) {
    Path testDir =
        nonBlank(env.get(TEST_DIR_ENV)) != null
            ? Path.of(env.get(TEST_DIR_ENV))
            : Path.of(System.getProperty("user.home"), ".cache", "gantry", "kubeapitest");
    String version =
        nonBlank(env.get(VERSION_ENV)) != null ? env.get(VERSION_ENV).strip() : DEFAULT_VERSION;
    if (version.startsWith("v")) {
      throw new IllegalArgumentException(
          VERSION_ENV
              + ": "
              + version
              + " (expected: N.N.N without a leading v, e.g. "
              + DEFAULT_VERSION
              + ")");
    }
    Path binaryDir = testDir.resolve("k8s").resolve(version + "-" + os() + "-" + arch());
    return new KubeApiTestBinaries(testDir.toAbsolutePath(), version, binaryDir.toAbsolutePath());
  }

  /**
   * Returns the binaries that are absent or not executable; empty when the API server can start.
   */
  List<String> missing() {
    return BINARIES.stream().filter(name -> !Files.isExecutable(binaryDir.resolve(name))).toList();
  }

  String describeMissing() {
    return "kube-apiserver test binaries missing in "
        + binaryDir
        + ": "
        + String.join(", ", missing())
        + ". Build them with .ci/kube-test-binaries.sh (KUBE_API_TEST_DIR="
        + testDir
        + ")";
  }

  private static String os() {
    String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    return name.contains("mac") ? "darwin" : name.contains("win") ? "windows" : "linux";
  }

  private static String arch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
