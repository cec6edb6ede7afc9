package dev.gantry.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChartCrdTest {

  @ParameterizedTest
  @ValueSource(strings = {ChartSources.CRD_FILE, ChartSources.DELEGATION_CRD_FILE})
  void chartShipsTheGeneratedCrdUnchanged(String file) throws IOException {
    String generated = Files.readString(ChartSources.generatedCrd(file));
    String shipped = Files.readString(ChartSources.chartCrd(file));

    assertThat(shipped)
        .as(
            "%s differs from the generated %s; refresh the chart's copy: cp crds/%s"
                + " charts/gantry/crds/",
            ChartSources.chartCrd(file), ChartSources.generatedCrd(file), file)
        .isEqualTo(generated);
  }
}
