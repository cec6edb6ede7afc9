package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionLimitHandlerTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ConnectionLimitHandler limit =
      new ConnectionLimitHandler(2, new ProxyMetrics(registry));

  private double refused() {
    return registry.get("gantry.dataplane.downstream.connections.refused").counter().count();
  }

  @Test
  void closesConnectionsOverTheLimitAndCountsThem() {
    EmbeddedChannel first = new EmbeddedChannel(limit);
    EmbeddedChannel second = new EmbeddedChannel(limit);
    EmbeddedChannel third = new EmbeddedChannel(limit);

    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isTrue();
    assertThat(third.isOpen()).isFalse();
    assertThat(refused()).isEqualTo(1);
    first.close();
    second.close();
  }

  @Test
  void acceptsAgainOnceAConnectionClosed() {
    EmbeddedChannel first = new EmbeddedChannel(limit);
    EmbeddedChannel second = new EmbeddedChannel(limit);
    first.close();

    EmbeddedChannel third = new EmbeddedChannel(limit);

    assertThat(third.isOpen()).isTrue();
    assertThat(refused()).isZero();
    second.close();
    third.close();
  }

  @Test
  void doesNotLetRefusedConnectionsFreeASlot() {
    EmbeddedChannel first = new EmbeddedChannel(limit);
    EmbeddedChannel second = new EmbeddedChannel(limit);
    new EmbeddedChannel(limit); // refused, closed: must not decrement
    new EmbeddedChannel(limit);

    assertThat(new EmbeddedChannel(limit).isOpen()).isFalse();
    assertThat(refused()).isEqualTo(3);
    first.close();
    second.close();
  }
}
