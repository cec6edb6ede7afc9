package dev.gantry.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteMatchTest {

  private static final HttpHeaders NONE = EmptyHttpHeaders.INSTANCE;

  private static RouteMatch.HeaderCondition header(String name, ValueMatch value) {
    return new RouteMatch.HeaderCondition(AsciiString.of(name), value);
  }

  @Test
  void regexPathMustMatchTheWholePath() {
    RouteMatch match = RouteMatch.of(PathMatch.Regex.compile("/users/[0-9]+"));

    assertThat(match.matches("/users/42", HttpMethod.GET, NONE, "/users/42")).isTrue();
    assertThat(match.matches("/users/42/edit", HttpMethod.GET, NONE, "/users/42/edit")).isFalse();
    assertThat(match.matches("/x/users/42", HttpMethod.GET, NONE, "/x/users/42")).isFalse();
  }

  @Test
  void regexRunsInLinearTimeOnAPatternThatWouldBacktrackCatastrophically() {
    // (a+)+$ takes exponential time in a backtracking engine on "aaaa...!"; RE2 answers at once.
    RouteMatch match = RouteMatch.of(PathMatch.Regex.compile("/(a+)+"));
    String path = "/" + "a".repeat(10_000) + "!";

    assertThat(match.matches(path, HttpMethod.GET, NONE, path)).isFalse();
  }

  @Test
  void methodMatchComparesTheToken() {
    RouteMatch match = new RouteMatch(new PathMatch.Prefix("/"), "POST", List.of(), List.of());

    assertThat(match.matches("/", HttpMethod.POST, NONE, "/")).isTrue();
    assertThat(match.matches("/", HttpMethod.GET, NONE, "/")).isFalse();
  }

  @Test
  void headerNamesAreCaseInsensitiveAndValuesCaseSensitive() {
    RouteMatch match =
        new RouteMatch(
            new PathMatch.Prefix("/"),
            "",
            List.of(header("x-canary", new ValueMatch.Exact("true"))),
            List.of());

    assertThat(match.matches("/", HttpMethod.GET, headers("X-Canary", "true"), "/")).isTrue();
    assertThat(match.matches("/", HttpMethod.GET, headers("X-Canary", "TRUE"), "/")).isFalse();
    assertThat(match.matches("/", HttpMethod.GET, NONE, "/")).isFalse();
  }

  @Test
  void everyHeaderConditionMustHold() {
    RouteMatch match =
        new RouteMatch(
            new PathMatch.Prefix("/"),
            "",
            List.of(
                header("x-a", new ValueMatch.Exact("1")),
                header("x-tenant", ValueMatch.Regex.compile("team-[a-z]+"))),
            List.of());

    HttpHeaders both = headers("x-a", "1").add("x-tenant", "team-blue");
    HttpHeaders wrongTenant = headers("x-a", "1").add("x-tenant", "team-42");

    assertThat(match.matches("/", HttpMethod.GET, both, "/")).isTrue();
    assertThat(match.matches("/", HttpMethod.GET, wrongTenant, "/")).isFalse();
    assertThat(match.matches("/", HttpMethod.GET, headers("x-a", "1"), "/")).isFalse();
  }

  @Test
  void headerMatchTestsTheFirstValue() {
    RouteMatch match =
        new RouteMatch(
            new PathMatch.Prefix("/"),
            "",
            List.of(header("x-a", new ValueMatch.Exact("2"))),
            List.of());

    assertThat(match.matches("/", HttpMethod.GET, headers("x-a", "1").add("x-a", "2"), "/"))
        .isFalse();
  }

  @Test
  void queryParamMatchDecodesAndTestsTheFirstOccurrence() {
    RouteMatch match =
        new RouteMatch(
            new PathMatch.Prefix("/api"),
            "",
            List.of(),
            List.of(new RouteMatch.QueryCondition("q", new ValueMatch.Exact("a b"))));

    assertThat(match.matches("/api", HttpMethod.GET, NONE, "/api?x=1&q=a%20b")).isTrue();
    assertThat(match.matches("/api", HttpMethod.GET, NONE, "/api?q=a+b&q=c")).isTrue();
    assertThat(match.matches("/api", HttpMethod.GET, NONE, "/api?q=c&q=a+b")).isFalse();
    assertThat(match.matches("/api", HttpMethod.GET, NONE, "/api?qq=a+b")).isFalse();
    assertThat(match.matches("/api", HttpMethod.GET, NONE, "/api")).isFalse();
  }

  @Test
  void invalidPatternNamesItself() {
    assertThatThrownBy(() -> PathMatch.Regex.compile("/(unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/(unclosed");
  }

  private static HttpHeaders headers(String name, String value) {
    return new DefaultHttpHeaders().add(name, value);
  }
}
