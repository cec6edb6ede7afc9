package dev.gantry.e2e.chart;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the chart and the generated CRD in the source tree, from the e2e module's directory. */
public final class ChartSources {

  static final String CRD_FILE = "proxyroutes.gantry.dev-v1.yml";
  static final String DELEGATION_CRD_FILE = "tlscertificatedelegations.gantry.dev-v1.yml";

  private ChartSources() {}

  /**
   * Returns the repository root: the nearest directory above the working directory holding
   * charts/gantry.
   */
  static Path repositoryRoot() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("charts/gantry/Chart.yaml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("charts/gantry/Chart.yaml not found above " + start);
  }

  /** The chart's directory, charts/gantry. */
  public static Path chartDirectory() {
    return repositoryRoot().resolve("charts/gantry");
  }

  /** The CRD as generated from the Java types in crds/. */
  static Path generatedCrd() {
    return generatedCrd(CRD_FILE);
  }

  /** The CRD {@code file} as generated from the Java types in crds/. */
  static Path generatedCrd(String file) {
    return repositoryRoot().resolve("crds").resolve(file);
  }

  /** The chart's copy, which Helm installs before the templates. */
  static Path chartCrd() {
    return chartCrd(CRD_FILE);
  }

  /** The chart's copy of the CRD {@code file}. */
  static Path chartCrd(String file) {
    return chartDirectory().resolve("crds").resolve(file);
  }
}
