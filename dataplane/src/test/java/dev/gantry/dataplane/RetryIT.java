package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Duration;
import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.ScriptedBackend;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.CircuitBreakers;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.RetryBudget;
import dev.gantry.protocol.v1.RetryOn;
import dev.gantry.protocol.v1.RetryPolicy;
import dev.gantry.protocol.v1.Route;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Retries, the retry budget, per-try timeouts and circuit breakers, with real backends on loopback:
 * what a client sees, and what the backends saw.
 */
class RetryIT {

  private static final String HOST = "web.example.com";
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  private static final String UNAVAILABLE =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy";

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private DataplaneFixture fixture;

  @AfterEach
  void tearDown() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  @Test
  void retriesAConnectFailureOnTheOtherEndpointByDefault() {
    TestBackend live = track(TestBackend.start("live"));
    start(prefix("all", "/", "web"), cluster("web", closedPort(), live.address()));

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> response =
          fixture.send(
              fixture
                  .request(HOST, "/items")
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build());
      assertThat(response.statusCode())
          .as("request %d: %s", i, response.body())
          .isEqualTo(200); // even a POST: it never reached anyone
    }
    assertThat(metric("gantry_dataplane_upstream_retries_total", "reason=\"connect_failure\""))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void theAccessLogNamesTheEndpointThatServedARetriedRequest() {
    TestBackend live = track(TestBackend.start("live"));
    start(prefix("all", "/", "web"), cluster("web", closedPort(), live.address()));
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger access = (Logger) LoggerFactory.getLogger("gantry.access");
    lines.start();
    access.addAppender(lines);
    try {
      for (int i = 0; i < 4; i++) {
        assertThat(fixture.get(HOST, "/items").statusCode()).isEqualTo(200);
      }
      await().until(() -> lines.list.size() == 4);
    } finally {
      access.detachAppender(lines);
    }

    assertThat(metric("gantry_dataplane_upstream_retries_total", "reason=\"connect_failure\""))
        .isGreaterThanOrEqualTo(1);
    String served = "\"upstream\":\"" + NetUtil.toSocketAddressString(live.address()) + "\"";
    assertThat(lines.list).allSatisfy(l -> assertThat(l.getFormattedMessage()).contains(served));
  }

  @Test
  void aRetriedRequestWithoutHostNamesTheEndpointOfItsAttempt() throws IOException {
    FlakyBackend live = flaky(first -> OK);
    fixture = DataplaneFixture.start();
    fixture.apply(
        snapshot(
            1,
            List.of(host("any", List.of("*"), prefix("all", "/", "web"))),
            List.of(cluster("web", closedPort(), live.backend.address()))));

    for (int i = 0; i < 4; i++) {
      try (RawHttp client = RawHttp.connect(fixture.dataplane.httpPort())) {
        client.send("GET /items HTTP/1.0\r\n\r\n"); // HTTP/1.0: no Host
        assertThat(client.read().status()).isEqualTo(200);
      }
    }

    assertThat(metric("gantry_dataplane_upstream_retries_total", "reason=\"connect_failure\""))
        .isGreaterThanOrEqualTo(1);
    String host = "host: " + NetUtil.toSocketAddressString(live.backend.address());
    assertThat(live.seen)
        .hasSize(4)
        .allSatisfy(s -> assertThat(s.head().toLowerCase(Locale.ROOT)).contains(host));
  }

  @Test
  void retriesA503WhenTheRuleListsTheCode() {
    FlakyBackend backend = flaky(first -> first ? UNAVAILABLE : OK);
    start(retrying(prefix("all", "/", "web"), policy().addCodes(503)), backend.cluster("web"));

    HttpResponse<String> response = fixture.get(HOST, "/items");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(backend.seen).hasSize(2);
    assertThat(metric("gantry_dataplane_upstream_retries_total", "reason=\"503\"")).isEqualTo(1);
  }

  @Test
  void doesNotRetryAPostOn503ByDefault() {
    FlakyBackend backend = flaky(first -> first ? UNAVAILABLE : OK);
    start(retrying(prefix("all", "/", "web"), policy().addCodes(503)), backend.cluster("web"));

    HttpResponse<String> response =
        fixture.send(
            fixture.request(HOST, "/items").POST(HttpRequest.BodyPublishers.ofString("x")).build());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("busy");
    assertThat(backend.seen).hasSize(1);
  }

  @Test
  void replaysTheRequestBodyOnARetry() {
    FlakyBackend backend = flaky(first -> first ? UNAVAILABLE : OK);
    start(retrying(prefix("all", "/", "web"), policy().addCodes(503)), backend.cluster("web"));
    String body = "a".repeat(10_000);

    HttpResponse<String> response =
        fixture.send(
            fixture.request(HOST, "/items").PUT(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(backend.seen).hasSize(2);
    assertThat(backend.seen.get(1).body()).isEqualTo(body);
  }

  @Test
  void doesNotRetryABodyLongerThanItHolds() {
    FlakyBackend backend = flaky(first -> first ? UNAVAILABLE : OK);
    start(retrying(prefix("all", "/", "web"), policy().addCodes(503)), backend.cluster("web"));
    String body = "a".repeat(100 * 1024);

    HttpResponse<String> response =
        fixture.send(
            fixture.request(HOST, "/items").PUT(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(backend.seen).hasSize(1);
  }

  @Test
  void triesAgainAfterAPerTryTimeout() {
    FlakyBackend backend = flaky(first -> first ? null : OK); // the first attempt hangs
    start(
        retrying(
            prefix("all", "/", "web"),
            policy()
                .addOn(RetryOn.RETRY_ON_PER_TRY_TIMEOUT)
                .setPerTryTimeout(Duration.newBuilder().setNanos(300_000_000))),
        backend.cluster("web"));

    HttpResponse<String> response = fixture.get(HOST, "/items");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(backend.seen).hasSize(2);
    assertThat(metric("gantry_dataplane_upstream_retries_total", "reason=\"per_try_timeout\""))
        .isEqualTo(1);
  }

  @Test
  void theRetryBudgetStopsARetryStorm() {
    CountDownLatch release = new CountDownLatch(1);
    FlakyBackend backend = flaky(first -> first ? UNAVAILABLE : awaitThen(release, OK));
    Cluster limited =
        backend.cluster("web").toBuilder()
            .setCircuitBreakers(
                CircuitBreakers.newBuilder()
                    .setRetryBudget(
                        RetryBudget.newBuilder().setBudgetPercent(0).setMinRetryConcurrency(1)))
            .build();
    start(retrying(prefix("all", "/", "web"), policy().addCodes(503)), limited);

    CompletableFuture<HttpResponse<String>> retried = getAsync("/first");
    await().until(() -> backend.seen.size() == 2); // its retry is in flight, holding the budget
    HttpResponse<String> second = fixture.get(HOST, "/second");

    assertThat(second.statusCode()).isEqualTo(503); // the backend's own answer, not retried
    assertThat(second.body()).isEqualTo("busy");
    release.countDown();
    assertThat(retried.join().statusCode()).isEqualTo(200);
    assertThat(backend.seen).hasSize(3);
    assertThat(metric("gantry_dataplane_upstream_retry_budget_exhausted_total", "cluster=\"web\""))
        .isEqualTo(1);
  }

  @Test
  void maxRequestsAdmitsUpToTheLimitAndAnswers503Beyond() {
    CountDownLatch release = new CountDownLatch(1);
    FlakyBackend backend = flaky(first -> awaitThen(release, OK));
    start(prefix("all", "/", "web"), limited(backend.cluster("web"), b -> b.setMaxRequests(2)));

    CompletableFuture<HttpResponse<String>> one = getAsync("/1"); // limit - 1 in flight before
    CompletableFuture<HttpResponse<String>> two = getAsync("/2"); // at the limit
    await().until(() -> backend.seen.size() == 2);
    HttpResponse<String> three = fixture.get(HOST, "/3"); // limit + 1

    assertOverloaded(three, "max-requests");
    release.countDown();
    assertThat(one.join().statusCode()).isEqualTo(200);
    assertThat(two.join().statusCode()).isEqualTo(200);
    assertThat(fixture.get(HOST, "/4").statusCode()).isEqualTo(200);
    assertThat(metric("gantry_dataplane_upstream_circuit_breaker_trips_total", "max-requests"))
        .isEqualTo(1);
  }

  @Test
  void maxConnectionsOpensUpToTheLimitAndAnswers503Beyond() {
    CountDownLatch release = new CountDownLatch(1);
    FlakyBackend backend = flaky(first -> awaitThen(release, OK));
    start(
        retrying(prefix("all", "/", "web"), policy().setAttempts(0)),
        limited(backend.cluster("web"), b -> b.setMaxConnections(2)));

    CompletableFuture<HttpResponse<String>> one = getAsync("/1");
    CompletableFuture<HttpResponse<String>> two = getAsync("/2");
    await().until(() -> backend.seen.size() == 2); // two connections open, both busy
    HttpResponse<String> three = fixture.get(HOST, "/3");

    assertOverloaded(three, "max-connections");
    release.countDown();
    assertThat(one.join().statusCode()).isEqualTo(200);
    assertThat(two.join().statusCode()).isEqualTo(200);
    assertThat(fixture.get(HOST, "/4").statusCode()).isEqualTo(200); // a pooled one is reused
  }

  @Test
  void maxPendingRequestsQueuesUpToTheLimitAndAnswers503Beyond() throws IOException {
    InetSocketAddress blackHole = unacceptingListener();
    Cluster cluster =
        limited(cluster("web", blackHole), b -> b.setMaxPendingRequests(2)).toBuilder()
            .setConnectTimeout(Duration.newBuilder().setSeconds(2))
            .build();
    start(retrying(prefix("all", "/", "web"), policy().setAttempts(0)), cluster);

    CompletableFuture<HttpResponse<String>> one = getAsync("/1");
    CompletableFuture<HttpResponse<String>> two = getAsync("/2");
    await().until(() -> metric("gantry_dataplane_upstream_requests_pending", "web") == 2);
    HttpResponse<String> three = fixture.get(HOST, "/3");

    assertOverloaded(three, "max-pending-requests");
    assertThat(one.join().statusCode()).isEqualTo(504); // admitted: waited for its connection
    assertThat(two.join().statusCode()).isEqualTo(504);
  }

  @Test
  void maxRetriesRetriesUpToTheLimitAndAnswers503Beyond() {
    CountDownLatch release = new CountDownLatch(1);
    FlakyBackend backend = flaky(first -> first ? UNAVAILABLE : awaitThen(release, OK));
    start(
        retrying(prefix("all", "/", "web"), policy().addCodes(503)),
        limited(backend.cluster("web"), b -> b.setMaxRetries(2)));

    CompletableFuture<HttpResponse<String>> one = getAsync("/1");
    await().until(() -> backend.seen.size() == 2); // one retry in flight: limit - 1
    CompletableFuture<HttpResponse<String>> two = getAsync("/2");
    await().until(() -> backend.seen.size() == 4); // two: at the limit
    HttpResponse<String> three = fixture.get(HOST, "/3");

    assertOverloaded(three, "max-retries");
    release.countDown();
    assertThat(one.join().statusCode()).isEqualTo(200);
    assertThat(two.join().statusCode()).isEqualTo(200);
  }

  // ---- helpers

  private void start(Route route, Cluster cluster) {
    fixture = DataplaneFixture.start();
    fixture.apply(snapshot(1, List.of(host("web", List.of(HOST), route)), List.of(cluster)));
  }

  private static RetryPolicy.Builder policy() {
    return RetryPolicy.newBuilder().setAttempts(1).addOn(RetryOn.RETRY_ON_CONNECT_FAILURE);
  }

  private static Route retrying(Route route, RetryPolicy.Builder policy) {
    return route.toBuilder().setRetry(policy).build();
  }

  private static Cluster limited(
      Cluster cluster, Function<CircuitBreakers.Builder, CircuitBreakers.Builder> limits) {
    return cluster.toBuilder()
        .setCircuitBreakers(limits.apply(CircuitBreakers.newBuilder()))
        .build();
  }

  private static void assertOverloaded(HttpResponse<String> response, String limit) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("x-gantry-overloaded")).hasValue(limit);
  }

  private CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return fixture.client.sendAsync(
        fixture.request(HOST, path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Returns the sum of the samples of {@code name} whose labels contain {@code label}. */
  private double metric(String name, String label) {
    double sum = 0;
    for (String line : fixture.admin("/metrics").body().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private static String awaitThen(CountDownLatch latch, String answer) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return answer;
  }

  /** Returns an address where nothing listens. */
  private static InetSocketAddress closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Returns the address of a listener that never accepts and whose accept queue is full: the kernel
   * drops new connection attempts, so a connect there waits until its timeout.
   */
  private InetSocketAddress unacceptingListener() throws IOException {
    ServerSocket server = track(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    for (int i = 0; i < 16; i++) {
      Socket filler = track(new Socket());
      try {
        filler.connect(server.getLocalSocketAddress(), 500);
      } catch (SocketTimeoutException full) {
        return (InetSocketAddress) server.getLocalSocketAddress();
      }
    }
    throw new IllegalStateException("the accept queue never filled");
  }

  private FlakyBackend flaky(Function<Boolean, String> answer) {
    return track(new FlakyBackend(answer));
  }

  /** One request as a backend saw it. */
  record Seen(String head, String body) {
    String requestId() {
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("x-request-id:")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
      return "";
    }
  }

  /**
   * A keep-alive backend that answers by whether it sees a request (by X-Request-Id, which a retry
   * keeps) for the first time; a null answer holds the connection without answering.
   */
  private static final class FlakyBackend implements AutoCloseable {
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> ids = new ConcurrentHashMap<>();
    final ScriptedBackend backend;

    FlakyBackend(Function<Boolean, String> answer) {
      backend =
          ScriptedBackend.start(
              socket -> {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (true) {
                  String head = ScriptedBackend.readRequestHead(in);
                  if (head.isEmpty()) {
                    return;
                  }
                  Seen request = new Seen(head, readBody(in, head));
                  boolean first = ids.putIfAbsent(request.requestId(), true) == null;
                  seen.add(request);
                  String response = answer.apply(first);
                  if (response == null) {
                    in.transferTo(OutputStream.nullOutputStream());
                    return;
                  }
                  out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                  out.flush();
                }
              });
    }

    Cluster cluster(String name) {
      return dev.gantry.dataplane.testing.Snapshots.cluster(name, backend.address());
    }

    private static String readBody(InputStream in, String head) throws IOException {
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      backend.close();
    }
  }
}
