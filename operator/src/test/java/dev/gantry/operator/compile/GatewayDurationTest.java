package dev.gantry.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayDurationTest {

  @ParameterizedTest
  @CsvSource({
    "0s, 0",
    "500ms, 500",
    "10s, 10000",
    "1m30s, 90000",
    "1h, 3600000",
    "1h1m1s1ms, 3661001"
  })
  void parsesGatewayApiDurations(String text, long millis) {
    assertThat(GatewayDuration.parse(text)).hasValue(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "1.5s", "-1s", "1d", "1s2s3s4s5s", "123456s", " 1s"})
  void refusesWhatIsNotAGatewayApiDuration(String text) {
    assertThat(GatewayDuration.parse(text)).isEmpty();
  }
}
