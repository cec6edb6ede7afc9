package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsMillisecondsSecondsAndMinutes() {
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void refusesOtherFormsSayingWhatItExpects() {
    assertThatThrownBy(() -> converter.convert("5"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("e.g. 5s");
    assertThatThrownBy(() -> converter.convert("PT5S")).isInstanceOf(TypeConversionException.class);
  }
}
