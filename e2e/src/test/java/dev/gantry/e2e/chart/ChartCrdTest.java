package dev.gantry.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ChartCrdTest {

  @Test
  void chartShipsTheGeneratedCrdUnchanged() throws IOException {
    String generated = Files.readString(ChartSources.generatedCrd());
    String shipped = Files.readString(ChartSources.chartCrd());

    assertThat(shipped)
        .as(
            "%s differs from the generated %s; refresh the chart's copy: cp crds/%s"
                + " charts/gantry/crds/",
            ChartSources.chartCrd(), ChartSources.generatedCrd(), ChartSources.CRD_FILE)
        .isEqualTo(generated);
  }
}
