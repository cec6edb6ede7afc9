package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

  private static RequestTarget target(String uri, String host) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    if (host != null) {
      request.headers().set("Host", host);
    }
    return RequestTarget.of(request);
  }

  @Test
  void routesOnThePathWithoutItsQuery() {
    assertThat(target("/a/b?x=1&y=2", "h"))
        .isEqualTo(new RequestTarget("h", "/a/b", "/a/b?x=1&y=2"));
  }

  @Test
  void takesTheAuthorityOfAnAbsoluteFormTarget() {
    assertThat(target("http://shop.example.com:81/cart?id=1", "other"))
        .isEqualTo(new RequestTarget("shop.example.com:81", "/cart", "/cart?id=1"));
    assertThat(target("http://shop.example.com", null))
        .isEqualTo(new RequestTarget("shop.example.com", "/", "/"));
    assertThat(target("http://shop.example.com?q", null))
        .isEqualTo(new RequestTarget("shop.example.com", "/", "/?q"));
  }

  @Test
  void hasNoAuthorityWithoutHostHeader() {
    assertThat(target("/", null).authority()).isNull();
  }

  @Test
  void normalisesThePathAndKeepsTheQueryUnchanged() {
    assertThat(RequestTarget.normalizedOriginForm("//a/./b/../c?x=/../%2F&y"))
        .isEqualTo("/a/c?x=/../%2F&y");
    assertThat(RequestTarget.normalizedOriginForm("/%7euser/")).isEqualTo("/~user/");
  }

  @Test
  void dropsTheSchemeAndAuthorityOfAnAbsoluteFormTarget() {
    assertThat(RequestTarget.normalizedOriginForm("http://h:81//a/../b?q")).isEqualTo("/b?q");
    assertThat(RequestTarget.normalizedOriginForm("HTTPS://h")).isEqualTo("/");
    assertThat(RequestTarget.normalizedOriginForm("http://h?q")).isEqualTo("/?q");
  }

  @Test
  void refusesAPathTheNormalizerRefuses() {
    assertThat(RequestTarget.normalizedOriginForm("/a%2fb?x")).isNull();
    assertThat(RequestTarget.normalizedOriginForm("http://h/../x")).isNull();
  }
}
