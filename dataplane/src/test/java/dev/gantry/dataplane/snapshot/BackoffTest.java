package dev.gantry.dataplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration INITIAL = Duration.ofMillis(250);
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void doublesFromInitialUpToTheMaximum() {
    Backoff backoff = new Backoff(INITIAL, MAX, () -> 0.999_999);

    long[] millis = new long[10];
    for (int i = 0; i < millis.length; i++) {
      millis[i] = backoff.next().toMillis();
    }

    assertThat(millis).containsExactly(249, 499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999);
  }

  @Test
  void jitterKeepsEachDelayInTheUpperHalf() {
    Backoff lowest = new Backoff(INITIAL, MAX, () -> 0.0);

    assertThat(lowest.next()).isEqualTo(Duration.ofMillis(125));
    assertThat(lowest.next()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void resetStartsOverFromTheInitialDelay() {
    Backoff backoff = new Backoff(INITIAL, MAX, () -> 0.0);
    backoff.next();
    backoff.next();
    backoff.next();

    backoff.reset();

    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(125));
  }

  @Test
  void refusesAMaximumBelowTheInitialDelay() {
    assertThatThrownBy(() -> new Backoff(MAX, INITIAL, () -> 0.0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
