package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.gantry.dataplane.pipeline.TrustedProxies;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.RateLimit;
import dev.gantry.protocol.v1.Route;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate-limited routes as a client sees them: 429 with Retry-After once the budget is spent, per
 * route or per client address, counted across snapshots that keep the limit. Limits are an hour
 * long so that no refill can happen during a test.
 */
class RateLimitIT {
  private final TestBackend backend = TestBackend.start("a");
  private DataplaneFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
    backend.close();
  }

  private static RateLimit perHour(int requests, int burst, RateLimit.Key key) {
    return RateLimit.newBuilder()
        .setRequests(requests)
        .setPer(Duration.newBuilder().setSeconds(3600))
        .setBurst(burst)
        .setKey(key)
        .build();
  }

  private static Route limited(RateLimit limit) {
    return prefix("limited", "/", "a").toBuilder().setRateLimit(limit).build();
  }

  private void apply(long version, Route route) {
    fixture.apply(
        snapshot(
            version,
            List.of(host("shop", List.of("shop.example.com"), route)),
            List.of(cluster("a", backend.address()))));
  }

  private HttpResponse<String> get(String forwardedFor) {
    var request = fixture.request("shop.example.com", "/");
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return fixture.send(request.GET().build());
  }

  @Test
  void aRouteAdmitsItsBudgetThenAnswers429WithRetryAfter() {
    fixture = DataplaneFixture.start();
    apply(1, limited(perHour(1, 2, RateLimit.Key.KEY_ROUTE)));

    for (int i = 0; i < 3; i++) {
      assertThat(get(null).statusCode()).as("request %d", i).isEqualTo(200);
    }
    HttpResponse<String> refused = get(null);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("too many requests");
    assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow()))
        .isPositive();
    assertThat(backend.received()).hasSize(3);
    assertThat(fixture.admin("/metrics").body())
        .contains("gantry_dataplane_ratelimited_total{route=\"limited\"} 1.0");
  }

  @Test
  void theCountSurvivesASnapshotThatKeepsTheLimitAndRestartsWithANewLimit() {
    fixture = DataplaneFixture.start();
    apply(1, limited(perHour(1, 0, RateLimit.Key.KEY_ROUTE)));
    assertThat(get(null).statusCode()).isEqualTo(200);
    assertThat(get(null).statusCode()).isEqualTo(429);

    apply(
        2, limited(perHour(1, 0, RateLimit.Key.KEY_ROUTE)).toBuilder().setName("limited").build());
    assertThat(get(null).statusCode()).as("same limit, same budget").isEqualTo(429);

    apply(3, limited(perHour(2, 0, RateLimit.Key.KEY_ROUTE)));
    assertThat(get(null).statusCode()).as("a new limit starts afresh").isEqualTo(200);
  }

  @Test
  void perClientEachAddressHasItsOwnBudget() {
    fixture =
        DataplaneFixture.start(
            config -> config.withTrustedProxies(TrustedProxies.of(List.of("127.0.0.0/8"))));
    apply(1, limited(perHour(1, 0, RateLimit.Key.KEY_CLIENT)));

    assertThat(get("10.0.0.1").statusCode()).isEqualTo(200);
    assertThat(get("10.0.0.1").statusCode()).isEqualTo(429);
    assertThat(get("10.0.0.2").statusCode()).isEqualTo(200);
    assertThat(get("10.0.0.2").statusCode()).isEqualTo(429);
  }

  @Test
  void aLimitOfNoRequestsIsRejectedAndTheOldSnapshotKeepsServing() {
    fixture = DataplaneFixture.start(UnaryOperator.identity());
    apply(1, prefix("limited", "/", "a"));

    String reason =
        fixture.applyExpectingRejection(
            snapshot(
                2,
                List.of(
                    host(
                        "shop",
                        List.of("shop.example.com"),
                        limited(perHour(0, 0, RateLimit.Key.KEY_ROUTE)))),
                List.of(cluster("a", backend.address()))));

    assertThat(reason).contains("rate limit");
    assertThat(get(null).statusCode()).isEqualTo(200);
  }
}
