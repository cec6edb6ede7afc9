package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListenerLimitsTest {

  @Test
  void documentsItsDefaults() {
    ListenerLimits limits = ListenerLimits.DEFAULT;

    assertThat(limits.maxRequestLineBytes()).isEqualTo(8 * 1024);
    assertThat(limits.maxHeaderBytes()).isEqualTo(32 * 1024);
    assertThat(limits.maxHeaderCount()).isEqualTo(100);
    assertThat(limits.headersTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.maxRequestsPerConnection()).isEqualTo(1_000);
    assertThat(limits.maxConnections()).isEqualTo(10_000);
  }

  @Test
  void changesOneLimitAtATime() {
    ListenerLimits limits = ListenerLimits.DEFAULT.withMaxHeaderCount(10).withMaxConnections(5);

    assertThat(limits)
        .isEqualTo(new ListenerLimits(8 * 1024, 32 * 1024, 10, Duration.ofSeconds(10), 1_000, 5));
  }

  @Test
  void refusesLimitsThatCannotServeARequest() {
    assertThatThrownBy(() -> ListenerLimits.DEFAULT.withMaxRequestLineBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRequestLineBytes: 10 (expected: >= 64)");
    assertThatThrownBy(() -> ListenerLimits.DEFAULT.withMaxHeaderCount(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ListenerLimits.DEFAULT.withHeadersTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ListenerLimits.DEFAULT.withMaxConnections(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
