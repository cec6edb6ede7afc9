package dev.gantry.dataplane.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogHandlerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger accessLogger = (Logger) LoggerFactory.getLogger("gantry.access");
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    lines.start();
    accessLogger.addAppender(lines);
    channel =
        new EmbeddedChannel(
            AccessLogHandler.factory(AccessLogConfig.DEFAULT, new RequestMetrics(registry)).get());
  }

  @AfterEach
  void tearDown() {
    accessLogger.detachAppender(lines);
    channel.finishAndReleaseAll();
  }

  private void request(String path) {
    HttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            path,
            Unpooled.copiedBuffer("12345", StandardCharsets.US_ASCII));
    request.headers().set("Host", "web.example.com").set("User-Agent", "curl/8");
    channel.writeInbound(request);
    ReferenceCountUtil.release(channel.readInbound());
    Exchange exchange = AccessLogHandler.exchange(channel);
    exchange.routed("ProxyRoute/default/web/rule-0");
    exchange.forwardedTo("default/web:80", new InetSocketAddress("10.0.0.1", 8080));
  }

  @Test
  void logsOneLineAndTimesTheExchangeWhenTheLastResponseByteIsWritten() {
    request("/cart?x=1");
    channel.writeOutbound(
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.CREATED,
            Unpooled.copiedBuffer("done", StandardCharsets.US_ASCII)));

    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.get(0).getFormattedMessage())
        .contains("\"method\":\"POST\"", "\"host\":\"web.example.com\"", "\"path\":\"/cart?x=1\"")
        .contains("\"status\":201", "\"route\":\"ProxyRoute/default/web/rule-0\"")
        .contains("\"backend\":\"default/web:80\"", "\"upstream\":\"10.0.0.1:8080\"")
        .contains("\"request_bytes\":5", "\"response_bytes\":4", "\"user_agent\":\"curl/8\"");
    Timer timer =
        registry
            .get("gantry.dataplane.request.duration")
            .tags("route", "ProxyRoute/default/web/rule-0", "backend", "default/web:80")
            .tags("status_class", "2xx")
            .timer();
    assertThat(timer.count()).isEqualTo(1);
  }

  @Test
  void logsNothingBeforeTheResponseEnds() {
    request("/slow");
    channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    assertThat(lines.list).isEmpty();
  }

  @Test
  void logsStatus499WhenTheClientLeavesMidExchange() {
    request("/slow");
    channel.close();
    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.get(0).getFormattedMessage()).contains("\"status\":499");
  }

  @Test
  void recordsMetricsButWritesNoLineWhenTheLogIsOff() {
    channel =
        new EmbeddedChannel(
            AccessLogHandler.factory(AccessLogConfig.OFF, new RequestMetrics(registry)).get());
    request("/");
    channel.writeOutbound(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND));
    assertThat(lines.list).isEmpty();
    assertThat(
            registry
                .get("gantry.dataplane.request.duration")
                .tags("status_class", "4xx")
                .timer()
                .count())
        .isEqualTo(1);
  }
}
