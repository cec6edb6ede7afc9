package dev.gantry.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.balance.LoadBalancer;
import dev.gantry.dataplane.health.ClusterBalancer;
import dev.gantry.dataplane.health.OutlierPolicy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StickySessionTest {
  private static final Endpoint A = new Endpoint(new InetSocketAddress("10.0.0.1", 8080), 1);
  private static final Endpoint B = new Endpoint(new InetSocketAddress("10.0.0.2", 8080), 1);
  private static final long NOW = 1_800_000_000L;

  private static final UpstreamCluster WEB =
      new UpstreamCluster(
          "web",
          new ClusterBalancer(
              "web",
              List.of(A, B),
              LoadBalancer::roundRobin,
              Optional.empty(),
              OutlierPolicy.DEFAULT),
          Duration.ofSeconds(1),
          "",
          CircuitBreakers.NONE);

  private static StickySession session(Duration timeout, boolean permanent) {
    return new StickySession("sid", timeout, permanent, "/shop", List.of(WEB));
  }

  private static HttpHeaders cookie(String value) {
    return new DefaultHttpHeaders().add("cookie", "other=1; " + value);
  }

  private static String value(String setCookie) {
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void issuesAnOpaqueHttpOnlyLaxCookieOnTheRoutePath() {
    String set = session(Duration.ZERO, false).setCookie(B, false, NOW);
    assertThat(set)
        .isEqualTo("sid=" + ClusterBalancer.tokenOf(B) + "; Path=/shop; HttpOnly; SameSite=Lax");
  }

  @Test
  void marksTheCookieSecureWhenTheRequestCameOverTls() {
    assertThat(session(Duration.ZERO, false).setCookie(A, true, NOW)).endsWith("; Secure");
  }

  @Test
  void aPermanentCookieGetsMaxAge() {
    assertThat(session(Duration.ofHours(1), true).setCookie(A, false, NOW))
        .contains("; Max-Age=3600");
  }

  @Test
  void findsTheEndpointItsCookieNames() {
    StickySession session = session(Duration.ZERO, false);
    StickySession.Pin pin = session.find(cookie(value(session.setCookie(B, false, NOW))), NOW);
    assertThat(pin.endpoint()).isEqualTo(B);
    assertThat(pin.cluster()).isSameAs(WEB);
  }

  @Test
  void ignoresUnknownTokensAndAbsentCookies() {
    StickySession session = session(Duration.ZERO, false);
    assertThat(session.find(cookie("sid=0123456789abcdef"), NOW)).isNull();
    assertThat(session.find(new DefaultHttpHeaders(), NOW)).isNull();
  }

  @Test
  void aSessionWithATimeoutExpires() {
    StickySession session = session(Duration.ofMinutes(1), false);
    HttpHeaders headers = cookie(value(session.setCookie(A, false, NOW)));
    assertThat(session.find(headers, NOW + 59).endpoint()).isEqualTo(A);
    assertThat(session.find(headers, NOW + 60)).isNull();
  }
}
