package dev.gantry.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutcomeTest {
  @ParameterizedTest
  @CsvSource({
    "200, SUCCESS",
    "404, SUCCESS",
    "499, SUCCESS",
    "500, SERVER_ERROR",
    "501, SERVER_ERROR",
    "502, GATEWAY_ERROR",
    "503, GATEWAY_ERROR",
    "504, GATEWAY_ERROR",
    "505, SERVER_ERROR"
  })
  void classifiesStatuses(int status, Outcome outcome) {
    assertThat(Outcome.ofStatus(status)).isEqualTo(outcome);
  }
}
