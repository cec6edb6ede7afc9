package dev.gantry.dataplane.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/** A client connection from 192.0.2.7 on an EmbeddedChannel, and byte helpers for the tests. */
final class ClientChannel extends EmbeddedChannel {

  ClientChannel(ChannelHandler initializer) {
    super(EmbeddedChannel.builder().handlers(initializer));
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return new InetSocketAddress("192.0.2.7", 40000);
  }

  static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }

  /** Returns everything written to {@code channel} so far, releasing it. */
  static String outbound(EmbeddedChannel channel) {
    StringBuilder text = new StringBuilder();
    for (Object msg; (msg = channel.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) msg;
      text.append(buf.toString(StandardCharsets.ISO_8859_1));
      buf.release();
    }
    return text.toString();
  }
}
