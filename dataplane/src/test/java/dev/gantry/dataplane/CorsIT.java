package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.CorsPolicy;
import dev.gantry.protocol.v1.Route;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CORS as a browser meets it: preflights answered by the proxy, headers on the responses. */
class CorsIT {

  private static final String APP = "https://app.example.com";

  private final TestBackend backend = TestBackend.start("a");
  private final DataplaneFixture fixture = DataplaneFixture.start();

  @AfterEach
  void tearDown() {
    fixture.close();
    backend.close();
  }

  private long version;

  private void route(CorsPolicy cors) {
    Route api = prefix("api", "/api", "backend");
    Route open = prefix("open", "/", "backend");
    fixture.apply(
        snapshot(
            ++version,
            List.of(
                host(
                    "api",
                    List.of("api.example.com"),
                    cors == null ? api : api.toBuilder().setCors(cors).build(),
                    open)),
            List.of(cluster("backend", backend.address()))));
  }

  private static CorsPolicy.Builder policy() {
    return CorsPolicy.newBuilder()
        .addAllowOrigins(APP)
        .addAllowMethods("GET")
        .addAllowMethods("PUT")
        .addAllowHeaders("content-type")
        .addAllowHeaders("x-token")
        .addExposeHeaders("x-total")
        .setMaxAge(Duration.newBuilder().setSeconds(600));
  }

  private HttpResponse<String> preflight(String origin, String method, String headers) {
    HttpRequest.Builder request =
        fixture
            .request("api.example.com", "/api/items")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method);
    if (headers != null) {
      request.header("Access-Control-Request-Headers", headers);
    }
    return fixture.send(request.build());
  }

  private HttpResponse<String> get(String path, String origin) {
    HttpRequest.Builder request = fixture.request("api.example.com", path).GET();
    if (origin != null) {
      request.header("Origin", origin);
    }
    return fixture.send(request.build());
  }

  @Test
  void anAllowedPreflightIsAnsweredByTheProxy() {
    route(policy().build());

    HttpResponse<String> response = preflight(APP, "PUT", "Content-Type, X-Token");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue(APP);
    assertThat(response.headers().firstValue("access-control-allow-methods")).hasValue("GET, PUT");
    assertThat(response.headers().firstValue("access-control-allow-headers"))
        .hasValue("content-type, x-token");
    assertThat(response.headers().firstValue("access-control-max-age")).hasValue("600");
    assertThat(response.headers().allValues("vary")).contains("Origin");
    assertThat(backend.received()).as("never reaches the backend").isEmpty();
  }

  @Test
  void aPreflightAskingForWhatIsNotAllowedIsRefused() {
    route(policy().build());

    assertThat(preflight("https://evil.example", "GET", null).statusCode()).isEqualTo(403);
    assertThat(preflight(APP, "DELETE", null).statusCode()).isEqualTo(403);
    assertThat(preflight(APP, "GET", "x-other").statusCode()).isEqualTo(403);
    assertThat(backend.received()).isEmpty();
  }

  @Test
  void responsesToAnAllowedOriginCarryTheCorsHeaders() {
    route(policy().build());

    HttpResponse<String> allowed = get("/api/items", APP);
    HttpResponse<String> other = get("/api/items", "https://evil.example");
    HttpResponse<String> sameOrigin = get("/api/items", null);

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(APP);
    assertThat(allowed.headers().firstValue("access-control-expose-headers"))
        .hasValue("x-total, grpc-status, grpc-message");
    assertThat(other.statusCode()).as("served; the browser refuses it").isEqualTo(200);
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(sameOrigin.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void anyOriginIsAStarUnlessCredentialsAreAllowed() {
    route(CorsPolicy.newBuilder().addAllowOrigins("*").build());
    HttpResponse<String> star = get("/api/items", "https://anyone.example");

    route(CorsPolicy.newBuilder().addAllowOrigins("*").setAllowCredentials(true).build());
    HttpResponse<String> credentials = get("/api/items", "https://anyone.example");

    assertThat(star.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(star.headers().firstValue("access-control-allow-credentials")).isEmpty();
    assertThat(credentials.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://anyone.example");
    assertThat(credentials.headers().firstValue("access-control-allow-credentials"))
        .hasValue("true");
  }

  @Test
  void withoutAPolicyPreflightsAreRoutedToTheBackend() {
    route(null);

    HttpResponse<String> response = preflight(APP, "PUT", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("method=OPTIONS");
    assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void theProxysOwnErrorsCarryTheHeadersToo() {
    fixture.apply(
        snapshot(
            1,
            List.of(
                host(
                    "api",
                    List.of("api.example.com"),
                    prefix("api", "/api", "empty").toBuilder().setCors(policy()).build())),
            List.of(cluster("empty"))));

    HttpResponse<String> response = get("/api/items", APP);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("access-control-allow-origin"))
        .as("so that the page's script can read the error")
        .hasValue(APP);
  }
}
