package dev.gantry.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamConnectionHandlerTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final List<UpstreamConnection> recycled = new ArrayList<>();
  private final UpstreamConnection connection =
      UpstreamConnection.recycled(channel, Duration.ofSeconds(60), recycled::add);
  private final RecordingListener listener = new RecordingListener();

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  private void sendRequest() {
    connection.attach(listener);
    connection.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    ReferenceCountUtil.release(channel.readOutbound());
  }

  private void receive(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
  }

  @Test
  void handsTheResponseToTheListenerPartByPart() {
    sendRequest();

    receive("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");

    assertThat(listener.parts).hasSize(2);
    assertThat(listener.parts.get(0)).isInstanceOf(HttpResponse.class);
    assertThat(listener.parts.get(1))
        .isInstanceOfSatisfying(
            LastHttpContent.class,
            last -> assertThat(last.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hi"));
    assertThat(listener.readCompletes).isEqualTo(1);
    assertThat(listener.failure).isNull();
    listener.parts.forEach(ReferenceCountUtil::release);
  }

  @Test
  void releaseRecyclesAnOpenConnectionAndDetachesTheListener() {
    sendRequest();
    receive("HTTP/1.1 204 No Content\r\n\r\n");
    listener.parts.forEach(ReferenceCountUtil::release);

    connection.release();
    channel.close();

    assertThat(recycled).containsExactly(connection);
    assertThat(listener.failure).isNull();
  }

  @Test
  void reportsAResetWhenTheUpstreamCloses() {
    sendRequest();

    channel.close();

    assertThat(listener.failure.kind()).isEqualTo(UpstreamException.Kind.RESET);
  }

  @Test
  void reportsAProtocolErrorAndClosesOnAnInvalidResponse() {
    sendRequest();

    receive("NOT HTTP AT ALL\r\n\r\n");

    assertThat(listener.failure.kind()).isEqualTo(UpstreamException.Kind.PROTOCOL_ERROR);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closesAnIdleConnectionThatReceivesBytes() {
    receive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closesAnIdleConnectionOnIdleTimeout() {
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void failsTheExchangeWithATimeoutWhenTheUpstreamFallsSilent() {
    sendRequest();

    channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

    assertThat(listener.failure.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
    assertThat(channel.isOpen()).isFalse();
  }

  private static final class RecordingListener implements UpstreamListener {

    final List<HttpObject> parts = new ArrayList<>();
    int readCompletes;
    UpstreamException failure;

    @Override
    public void onResponse(HttpObject msg) {
      parts.add(msg instanceof HttpContent content ? content.retain() : msg);
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void onReadComplete() {
      readCompletes++;
    }

    @Override
    public void onWritabilityChanged(boolean writable) {}

    @Override
    public void onFailure(UpstreamException e) {
      assertThat(failure).as("failure reported once").isNull();
      failure = e;
    }
  }
}
