package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestTurnTest {

  private final RequestTurn turn = new RequestTurn();

  @Test
  void awaitsTheFirstRequestFromTheStart() {
    assertThat(turn.isAwaited(1)).isTrue();
    assertThat(turn.isAwaited(2)).isFalse();
  }

  @Test
  void awaitsTheNextRequestOnceTheCurrentOneIsFinishedAndSaysSo() {
    AtomicInteger advances = new AtomicInteger();
    turn.onAdvance(advances::incrementAndGet);

    turn.advance();

    assertThat(turn.isAwaited(2)).isTrue();
    assertThat(turn.isAwaited(3)).isFalse();
    assertThat(advances).hasValue(1);
  }
}
