package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class WebSocketUpgradeTest {

  private static HttpRequest request(HttpMethod method, HttpVersion version, String connection) {
    HttpRequest request = new DefaultHttpRequest(version, method, "/chat");
    request.headers().set("upgrade", "WebSocket");
    if (connection != null) {
      request.headers().set("connection", connection);
    }
    return request;
  }

  @Test
  void recognisesAHandshakeWhateverTheOtherConnectionTokens() {
    assertThat(WebSocketUpgrade.requested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "Upgrade")))
        .isTrue();
    assertThat(
            WebSocketUpgrade.requested(
                request(HttpMethod.GET, HttpVersion.HTTP_1_1, "keep-alive, Upgrade")))
        .as("as Firefox sends it")
        .isTrue();
  }

  @Test
  void refusesWhatRfc6455DoesNotCallAHandshake() {
    assertThat(WebSocketUpgrade.requested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, null)))
        .as("no Connection: upgrade")
        .isFalse();
    assertThat(
            WebSocketUpgrade.requested(request(HttpMethod.POST, HttpVersion.HTTP_1_1, "Upgrade")))
        .isFalse();
    assertThat(WebSocketUpgrade.requested(request(HttpMethod.GET, HttpVersion.HTTP_1_0, "Upgrade")))
        .isFalse();
  }
}
