package dev.gantry.dataplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class H2FramesTest {

  private final H2Frames frames = new H2Frames();

  @Test
  void readsAFrameSplitAcrossSocketReads() {
    ByteBuf bytes = data(1, "x".repeat(1000));
    bytes.writeBytes(data(1, "y".repeat(1000)));
    H2Frames.Log log = new H2Frames.Log();
    ByteBuf received = Unpooled.buffer();

    // The first read ends in the middle of the second frame's payload.
    received.writeBytes(bytes, 1000 + 9 + 9 + 100);
    frames.read(received, log);
    assertThat(log.bodyBytes(1)).isEqualTo(1000);

    received.writeBytes(bytes);
    frames.read(received, log);
    assertThat(log.bodyBytes(1)).isEqualTo(2000);
    assertThat(log.body(1)).isEqualTo("x".repeat(1000) + "y".repeat(1000));
    bytes.release();
    received.release();
  }

  private ByteBuf data(int streamId, String payload) {
    return frames.encode(
        (w, ctx, p) ->
            w.writeData(
                ctx,
                streamId,
                Unpooled.copiedBuffer(payload, StandardCharsets.US_ASCII),
                0,
                false,
                p));
  }
}
