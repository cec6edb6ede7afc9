package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.HeaderMatch;
import dev.gantry.protocol.v1.QueryParamMatch;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.RouteMatch;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing on regular expression paths, headers, query parameters and methods, end to end. */
class RouteMatchIT {

  private final TestBackend a = TestBackend.start("a");
  private final TestBackend b = TestBackend.start("b");
  private final DataplaneFixture fixture = DataplaneFixture.start();

  @AfterEach
  void tearDown() {
    fixture.close();
    a.close();
    b.close();
  }

  private void serve(Route... routes) {
    fixture.apply(
        snapshot(
            1,
            List.of(host("shop", List.of("shop.example.com"), routes)),
            List.of(cluster("a", a.address()), cluster("b", b.address()))));
  }

  private static Route toA(String name, RouteMatch.Builder match) {
    return prefix(name, "/", "a").toBuilder().setMatch(match).build();
  }

  private static String backendOf(HttpResponse<?> response) {
    return response.statusCode() == 404
        ? "404"
        : response.headers().firstValue("x-backend").orElse("none");
  }

  @Test
  void routesARegularExpressionPathAndOnlyWholeMatches() {
    serve(toA("user", RouteMatch.newBuilder().setRegex("/users/[0-9]+")), prefix("b", "/", "b"));

    assertThat(backendOf(fixture.get("shop.example.com", "/users/42?x=1"))).isEqualTo("a");
    assertThat(backendOf(fixture.get("shop.example.com", "/users/42/edit"))).isEqualTo("b");
    assertThat(backendOf(fixture.get("shop.example.com", "/users/me"))).isEqualTo("b");
  }

  @Test
  void routesOnAHeader() {
    serve(
        toA(
            "canary",
            RouteMatch.newBuilder()
                .setPrefix("/")
                .addHeaders(HeaderMatch.newBuilder().setName("x-canary").setRegex("yes|true"))),
        prefix("b", "/", "b"));

    HttpResponse<String> canary =
        fixture.send(
            fixture.request("shop.example.com", "/").header("X-Canary", "true").GET().build());

    assertThat(backendOf(canary)).isEqualTo("a");
    assertThat(backendOf(fixture.get("shop.example.com", "/"))).isEqualTo("b");
  }

  @Test
  void routesOnAQueryParameter() {
    serve(
        toA(
            "v2",
            RouteMatch.newBuilder()
                .setPrefix("/api")
                .addQueryParams(QueryParamMatch.newBuilder().setName("version").setExact("2"))),
        prefix("b", "/", "b"));

    assertThat(backendOf(fixture.get("shop.example.com", "/api?debug&version=2"))).isEqualTo("a");
    assertThat(backendOf(fixture.get("shop.example.com", "/api?version=1"))).isEqualTo("b");
    assertThat(backendOf(fixture.get("shop.example.com", "/api"))).isEqualTo("b");
  }

  @Test
  void routesOnTheMethod() {
    serve(toA("post", RouteMatch.newBuilder().setPrefix("/").setMethod("POST")));

    HttpResponse<String> post =
        fixture.send(
            fixture
                .request("shop.example.com", "/orders")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

    assertThat(backendOf(post)).isEqualTo("a");
    assertThat(backendOf(fixture.get("shop.example.com", "/orders"))).isEqualTo("404");
  }
}
