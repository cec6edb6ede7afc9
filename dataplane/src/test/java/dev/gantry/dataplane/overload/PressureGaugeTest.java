package dev.gantry.dataplane.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class PressureGaugeTest {

  private final PressureGauge gauge = new PressureGauge(90);

  @Test
  void pressesOnceEitherReadingReachesTheHighMark() {
    assertThat(gauge.update(0.89, 0.10)).isFalse();
    assertThat(gauge.update(0.90, 0.10)).isTrue();
    assertThat(new PressureGauge(90).update(0.10, 0.90)).isTrue();
  }

  @Test
  void releasesOnlyOnceBothReadingsFallTenPointsBelow() {
    gauge.update(0.95, 0.95);

    assertThat(gauge.update(0.85, 0.50)).isTrue(); // between the marks: still pressed
    assertThat(gauge.update(0.79, 0.80)).isTrue();
    assertThat(gauge.update(0.79, 0.79)).isFalse();
    assertThat(gauge.update(0.85, 0.85)).isFalse(); // and stays released below the high mark
  }

  @Test
  void neverPressesOnUnknownReadings() {
    assertThat(gauge.update(-1, -1)).isFalse();
  }

  @Test
  void refusesAHighMarkThatLeavesNoRoomForHysteresis() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PressureGauge(10))
        .withMessage("highPercent: 10 (expected: 11..100)");
    assertThatIllegalArgumentException().isThrownBy(() -> new PressureGauge(101));
  }
}
