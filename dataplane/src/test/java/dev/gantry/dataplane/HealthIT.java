package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.HealthCheck;
import dev.gantry.protocol.v1.OutlierDetection;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.SessionPersistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoint health as clients see it: active health checks, passive outlier detection and proxy
 * issued session cookies, through real sockets to real loopback backends.
 */
class HealthIT {
  private static final String HOST = "web.example.com";

  private final List<Backend> backends = new ArrayList<>();
  private final DataplaneFixture fixture = DataplaneFixture.start();

  @AfterEach
  void stop() {
    fixture.close();
    backends.forEach(Backend::close);
  }

  private Backend backend(String name) {
    Backend b = new Backend(name, 0);
    backends.add(b);
    return b;
  }

  private static com.google.protobuf.Duration millis(long ms) {
    Duration d = Duration.ofMillis(ms);
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  private void serve(long version, Cluster web, Route route) {
    fixture.apply(snapshot(version, List.of(host("web", List.of(HOST), route)), List.of(web)));
  }

  private HttpResponse<String> get(String cookie) {
    var request = fixture.request(HOST, "/");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return fixture.send(request.GET().build());
  }

  private static String backendOf(HttpResponse<String> response) {
    return response.headers().firstValue("X-Backend").orElse("status " + response.statusCode());
  }

  /** Returns who answered {@code n} requests in a row. */
  private Set<String> answering(int n) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      seen.add(backendOf(get(null)));
    }
    return seen;
  }

  private static HealthCheck check() {
    return HealthCheck.newBuilder()
        .setPath("/healthz")
        .setInterval(millis(100))
        .setTimeout(millis(1000))
        .setHealthyThreshold(2)
        .setUnhealthyThreshold(2)
        .build();
  }

  private static OutlierDetection ejectAtOnce(long baseMillis) {
    return OutlierDetection.newBuilder()
        .setConsecutiveGatewayErrors(1)
        .setBaseEjectionTime(millis(baseMillis))
        .setMaxEjectionTime(millis(baseMillis))
        .setMaxEjectionPercent(50)
        .build();
  }

  @Test
  void anEndpointWhoseHealthPathFailsStopsGettingTrafficAndComesBackWhenItRecovers() {
    Backend a = backend("a");
    Backend b = backend("b");
    Cluster web =
        cluster("web", a.address(), b.address()).toBuilder().setHealthCheck(check()).build();
    serve(1, web, prefix("all", "/", "web"));
    assertThat(answering(10)).containsExactlyInAnyOrder("a", "b");

    b.healthStatus.set(503);
    await().atMost(Duration.ofSeconds(10)).until(() -> answering(20).equals(Set.of("a")));
    assertThat(fixture.admin("/metrics").body())
        .contains("gantry_dataplane_upstream_endpoints{cluster=\"web\",state=\"unhealthy\"} 1.0")
        .contains("gantry_dataplane_health_checks_total{cluster=\"web\",result=\"failed\"}");
    assertThat(b.healthProbes.get()).isPositive();

    b.healthStatus.set(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> answering(10).contains("b"));
  }

  @Test
  void anEndpointThatRefusesConnectionsIsEjectedAndReadmittedOnceItListensAgain() {
    Backend a = backend("a");
    InetSocketAddress refused = freePort();
    Cluster web =
        cluster("web", a.address(), refused).toBuilder()
            .setOutlierDetection(ejectAtOnce(1000))
            .build();
    serve(1, web, prefix("all", "/", "web"));

    await().atMost(Duration.ofSeconds(10)).until(() -> answering(20).equals(Set.of("a")));
    assertThat(fixture.admin("/metrics").body())
        .contains(
            "gantry_dataplane_upstream_ejections_total{cluster=\"web\",reason=\"gateway_errors\"}");

    Backend revived = new Backend("revived", refused.getPort());
    backends.add(revived);
    await().atMost(Duration.ofSeconds(10)).until(() -> answering(10).contains("revived"));
  }

  @Test
  void anEndpointThatAnswers502IsEjected() {
    Backend a = backend("a");
    Backend failing = backend("failing");
    failing.status.set(502);
    Cluster web =
        cluster("web", a.address(), failing.address()).toBuilder()
            .setOutlierDetection(ejectAtOnce(60_000))
            .build();
    serve(1, web, prefix("all", "/", "web"));

    await().atMost(Duration.ofSeconds(10)).until(() -> answering(20).equals(Set.of("a")));
  }

  @Test
  void aNewSnapshotKeepsTheHealthStateOfTheEndpointsItStillLists() {
    Backend a = backend("a");
    InetSocketAddress refused = freePort();
    Cluster web =
        cluster("web", a.address(), refused).toBuilder()
            .setOutlierDetection(ejectAtOnce(60_000))
            .build();
    serve(1, web, prefix("all", "/", "web"));
    await().atMost(Duration.ofSeconds(10)).until(() -> answering(20).equals(Set.of("a")));

    Backend c = backend("c");
    Cluster grown =
        cluster("web", a.address(), refused, c.address()).toBuilder()
            .setOutlierDetection(ejectAtOnce(60_000))
            .build();
    serve(2, grown, prefix("other-name", "/", "web"));

    // Had the ejection been forgotten, a third of these would meet the refusing endpoint: 502.
    assertThat(answering(30)).containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void aSessionCookieKeepsAClientOnOneEndpointAndMovesItWhenTheEndpointGoesAway() {
    Backend a = backend("a");
    Backend b = backend("b");
    Backend c = backend("c");
    Route sticky =
        prefix("all", "/", "web").toBuilder()
            .setSessionPersistence(SessionPersistence.newBuilder().setCookieName("gantry-session"))
            .build();
    serve(1, cluster("web", a.address(), b.address(), c.address()), sticky);

    HttpResponse<String> first = get(null);
    String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("gantry-session=")
        .contains("; Path=/", "; HttpOnly", "; SameSite=Lax")
        .doesNotContain("127.0.0.1", "Secure", "Max-Age");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String pinned = backendOf(first);
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> again = get(cookie);
      assertThat(backendOf(again)).isEqualTo(pinned);
      assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
    }

    List<InetSocketAddress> left = new ArrayList<>();
    for (Backend x : List.of(a, b, c)) {
      if (!x.name.equals(pinned)) {
        left.add(x.address());
      }
    }
    serve(2, cluster("web", left.toArray(InetSocketAddress[]::new)), sticky);

    HttpResponse<String> moved = get(cookie);
    assertThat(backendOf(moved)).isNotEqualTo(pinned);
    String reissued = moved.headers().firstValue("Set-Cookie").orElseThrow();
    String newCookie = reissued.substring(0, reissued.indexOf(';'));
    assertThat(newCookie).isNotEqualTo(cookie);
    for (int i = 0; i < 10; i++) {
      assertThat(backendOf(get(newCookie))).isEqualTo(backendOf(moved));
    }
  }

  private static InetSocketAddress freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A loopback backend whose answers (and /healthz answers) the test sets. */
  @Test
  void probesStopWhenASnapshotDropsTheHealthCheckOrTheCluster() {
    Backend a = backend("a");
    Cluster checked = cluster("web", a.address()).toBuilder().setHealthCheck(check()).build();
    serve(1, checked, prefix("all", "/", "web"));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.healthProbes.get() >= 3);

    serve(2, cluster("web", a.address()), prefix("all", "/", "web")); // same name, no check

    assertThat(get(null).statusCode()).isEqualTo(200);
    assertProbesStop(a);

    serve(3, checked, prefix("all", "/", "web"));
    int before = a.healthProbes.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.healthProbes.get() >= before + 3);

    serve(
        4,
        cluster("other", a.address()),
        prefix("all", "/", "other")); // the checked cluster is gone
    assertProbesStop(a);
  }

  /** Waits until {@code backend} gets no probe for a second: ten intervals of the check. */
  private static void assertProbesStop(Backend backend) {
    int[] last = {-1};
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              int now = backend.healthProbes.get();
              boolean still = now == last[0];
              last[0] = now;
              return still;
            });
  }

  private static final class Backend implements AutoCloseable {
    final String name;
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger healthStatus = new AtomicInteger(200);
    final AtomicInteger healthProbes = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    Backend(String name, int port) {
      this.name = name;
      try {
        server =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.createContext("/", this::handle);
      server.setExecutor(executor);
      server.start();
    }

    InetSocketAddress address() {
      return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        boolean health = exchange.getRequestURI().getPath().equals("/healthz");
        if (health) {
          healthProbes.incrementAndGet();
        }
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("X-Backend", name);
        exchange.sendResponseHeaders(health ? healthStatus.get() : status.get(), body.length);
        exchange.getResponseBody().write(body);
      }
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
