package dev.gantry.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedirectTest {

  private static String location(RouteAction.Redirect r, String authority, String target) {
    int q = target.indexOf('?');
    return r.location("http", authority, q < 0 ? target : target.substring(0, q), target);
  }

  @Test
  void keepsEveryPartLeftOutAndTheQuery() {
    RouteAction.Redirect r = new RouteAction.Redirect("", "", 0, null, 302);

    assertThat(location(r, "Shop.Example.com:8080", "/a?b=1"))
        .isEqualTo("http://shop.example.com:8080/a?b=1");
    assertThat(location(r, "shop.example.com", "/a")).isEqualTo("http://shop.example.com/a");
  }

  @Test
  void usesTheWellKnownPortOfANewSchemeAndLeavesItOut() {
    RouteAction.Redirect r = new RouteAction.Redirect("https", "", 0, null, 301);

    assertThat(location(r, "shop.example.com:8080", "/a")).isEqualTo("https://shop.example.com/a");
  }

  @Test
  void writesAnExplicitPortUnlessItIsTheSchemesOwn() {
    assertThat(location(new RouteAction.Redirect("https", "x.example", 8443, null, 302), "h", "/"))
        .isEqualTo("https://x.example:8443/");
    assertThat(location(new RouteAction.Redirect("https", "x.example", 443, null, 302), "h", "/"))
        .isEqualTo("https://x.example/");
  }

  @Test
  void rewritesThePath() {
    RouteAction.Redirect r =
        new RouteAction.Redirect("", "", 0, new PathRewrite.Prefix("/old", "/new"), 308);

    assertThat(location(r, "[::1]:8080", "/old/x?y")).isEqualTo("http://[::1]:8080/new/x?y");
  }

  @Test
  void refusesAStatusThatIsNotARedirect() {
    assertThatThrownBy(() -> new RouteAction.Redirect("", "", 0, null, 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("301, 302, 303, 307 or 308");
  }

  @Test
  void answersARelativeLocationWhenTheRequestNamedNoHost() {
    RouteAction.Redirect r = new RouteAction.Redirect("", "", 0, new PathRewrite.Full("/new"), 302);

    assertThat(location(r, null, "/old?x=1")).isEqualTo("/new?x=1");
  }
}
