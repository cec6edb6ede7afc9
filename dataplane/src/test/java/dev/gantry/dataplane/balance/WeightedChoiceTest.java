package dev.gantry.dataplane.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedChoiceTest {

  private static List<String> picks(WeightedChoice<String> choice, int n) {
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picks.add(choice.pick());
    }
    return picks;
  }

  @Test
  void choosesInProportionToWeights() {
    WeightedChoice<String> choice = WeightedChoice.of(List.of("a", "b"), List.of(3, 1));

    assertThat(picks(choice, 8)).containsExactly("a", "a", "b", "a", "a", "a", "b", "a");
  }

  @Test
  void neverChoosesAZeroWeight() {
    WeightedChoice<String> choice = WeightedChoice.of(List.of("a", "never", "b"), List.of(1, 0, 1));

    assertThat(picks(choice, 100)).doesNotContain("never").contains("a", "b");
  }

  @Test
  void refusesAllZeroWeights() {
    assertThatThrownBy(() -> WeightedChoice.of(List.of("a", "b"), List.of(0, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all zero");
  }

  @Test
  void reducesWeightsByTheirCommonDivisor() {
    WeightedChoice<String> choice =
        WeightedChoice.of(List.of("a", "b"), List.of(3_000_000, 1_000_000));

    assertThat(choice.slotsOf("a")).isEqualTo(3);
    assertThat(choice.slotsOf("b")).isEqualTo(1);
  }

  @Test
  void scalesHugeWeightsDownKeepingEveryItem() {
    WeightedChoice<String> choice =
        WeightedChoice.of(List.of("big", "tiny"), List.of(Integer.MAX_VALUE, 1));

    assertThat(choice.slotsOf("tiny")).isEqualTo(1);
    assertThat(choice.slotsOf("big")).isEqualTo(WeightedChoice.MAX_ROTATION);
  }
}
