package dev.gantry.dataplane.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

  private static Exchange exchange() {
    Exchange e = new Exchange();
    e.startMillis = 0;
    e.method = "GET";
    e.path = "/a\"b\\c\n\u0001";
    e.status = 200;
    e.durationNanos = 1_500_000;
    e.routed("ProxyRoute/default/web/rule-0");
    e.forwardedTo("default/web:80", new InetSocketAddress("10.0.0.1", 8080));
    return e;
  }

  @Test
  void writesTheChosenFieldsInOrderAsOneJsonObject() {
    String line =
        new AccessLogFormat(
                AccessLogField.parse("status, method,route,duration_ms,request_id,time"))
            .format(exchange());
    assertThat(line)
        .isEqualTo(
            "{\"status\":200,\"method\":\"GET\",\"route\":\"ProxyRoute/default/web/rule-0\","
                + "\"duration_ms\":1.5,\"request_id\":null,\"time\":\"1970-01-01T00:00:00.000Z\"}");
  }

  @Test
  void writesTheTimeWithMillisecondsInUtc() {
    StringBuilder out = new StringBuilder();
    AccessLogFormat.time(out, 1_795_446_576_007L);
    AccessLogFormat.time(out.append(' '), 1_795_446_576_250L);
    AccessLogFormat.time(out.append(' '), 1_795_446_577_000L);
    assertThat(out)
        .hasToString(
            "\"2026-11-23T15:09:36.007Z\" \"2026-11-23T15:09:36.250Z\" \"2026-11-23T15:09:37.000Z\"");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    String line = new AccessLogFormat(List.of(AccessLogField.PATH)).format(exchange());
    assertThat(line).isEqualTo("{\"path\":\"/a\\\"b\\\\c\\n\\u0001\"}");
  }

  @Test
  void refusesAnUnknownFieldNamingTheKnownOnes() {
    assertThatThrownBy(() -> AccessLogField.parse("status,latency"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latency")
        .hasMessageContaining("duration_ms");
  }
}
