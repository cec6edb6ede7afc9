package dev.gantry.dataplane.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleTimeoutHandlerTest {

  private final MockTicker ticker = Ticker.newMockTicker();
  private final Events events = new Events();
  private final EmbeddedChannel channel =
      EmbeddedChannel.builder()
          .ticker(ticker)
          .handlers(new IdleTimeoutHandler(Duration.ofSeconds(60)), events)
          .build();

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  private void advanceSeconds(long seconds) {
    for (long s = 0; s < seconds; s++) {
      ticker.advance(1, TimeUnit.SECONDS);
      channel.runScheduledPendingTasks();
    }
  }

  @Test
  void firesOnceAfterATimeoutWithoutTraffic() {
    advanceSeconds(59);
    assertThat(events.idle).isZero();

    advanceSeconds(16); // one timeout and at most a quarter

    assertThat(events.idle).isEqualTo(1);
  }

  @Test
  void readsKeepTheChannelBusy() {
    for (int i = 0; i < 10; i++) {
      advanceSeconds(30);
      channel.writeInbound("ping");
    }

    assertThat(events.idle).isZero();
  }

  @Test
  void writesKeepTheChannelBusy() {
    for (int i = 0; i < 10; i++) {
      advanceSeconds(30);
      channel.writeOutbound("pong");
    }

    assertThat(events.idle).isZero();
  }

  @Test
  void firesAgainAfterEachFurtherTimeout() {
    advanceSeconds(75);
    advanceSeconds(75);

    assertThat(events.idle).isEqualTo(2);
  }

  @Test
  void stopsWhenTheChannelCloses() {
    channel.close();
    advanceSeconds(200);

    assertThat(events.idle).isZero();
  }

  private static final class Events extends ChannelInboundHandlerAdapter {
    int idle;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == IdleStateEvent.ALL_IDLE_STATE_EVENT) {
        idle++;
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {}
  }
}
