package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, minus the shell: standalone mode over a copy of examples/quickstart,
 * with the compiler, the in-process snapshot stream and the dataplane all real.
 */
class StandaloneIT {
  @TempDir Path dir;

  private Standalone standalone;
  // HTTP/1.1: requests pick their route with a chosen Host header, which on HTTP/2 (the JDK
  // client's default, now that the port speaks h2c) would contradict :authority, a malformed
  // request (RFC 9113 §8.3.1).
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    // The quickstart's backend port, moved to one where nothing listens: requests there must get
    // 502.
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String quickstart = Files.readString(Path.of("../examples/quickstart/demo.yaml"));
    assertThat(quickstart).contains("port: 9000");
    Files.writeString(
        dir.resolve("demo.yaml"), quickstart.replace("port: 9000", "port: " + closedPort));
    standalone =
        Standalone.start(
            dir,
            DataplaneConfig.defaults("standalone-it")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)));
  }

  @AfterEach
  void stop() throws Exception {
    standalone.close();
  }

  private HttpResponse<String> get(int port, String host, String path) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (host != null) {
      request.header("Host", host);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheQuickstartAndItsAdminEndpoints() throws Exception {
    await()
        .untilAsserted(
            () ->
                assertThat(get(standalone.adminPort(), null, "/ready").statusCode())
                    .isEqualTo(200));
    HttpResponse<String> hello = get(standalone.httpPort(), "demo.example.com", "/");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).startsWith("Hello from Gantry!");
    assertThat(get(standalone.httpPort(), "demo.example.com", "/healthz").body()).isEqualTo("ok\n");
    assertThat(get(standalone.httpPort(), "demo.example.com", "/files/hello.txt").statusCode())
        .isEqualTo(502);
    assertThat(get(standalone.httpPort(), "other.example.com", "/").statusCode()).isEqualTo(404);
    assertThat(get(standalone.adminPort(), null, "/snapshot").body())
        .contains("\"virtualHosts\":1", "\"routes\":3");
  }

  @Test
  void appliesAnEditToTheFolderLive() throws Exception {
    await()
        .untilAsserted(
            () ->
                assertThat(get(standalone.httpPort(), "demo.example.com", "/").body())
                    .startsWith("Hello from Gantry!"));
    Path file = dir.resolve("demo.yaml");
    String original = Files.readString(file);

    Files.writeString(file, original.replace("Hello from Gantry!", "Edited!"));
    await()
        .untilAsserted(
            () ->
                assertThat(get(standalone.httpPort(), "demo.example.com", "/").body())
                    .startsWith("Edited!"));
  }

  @Test
  void compilesMatchesAndFiltersFromTheFolder() throws Exception {
    Files.writeString(
        dir.resolve("routing.yaml"),
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: routing, namespace: default}
        spec:
          hostnames: ["routing.example.com"]
          rules:
            - matches: [{headers: [{name: X-Canary, value: "true"}]}]
              directResponse: {status: 200, body: "canary\\n"}
            - matches: [{path: {type: RegularExpression, value: "/users/[0-9]+"}}]
              directResponse: {status: 200, body: "user\\n"}
            - matches: [{path: {type: PathPrefix, value: /old}}]
              filters:
                - type: RequestRedirect
                  requestRedirect:
                    scheme: https
                    hostname: new.example.com
                    path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}
                    statusCode: 301
        """);

    await()
        .untilAsserted(
            () ->
                assertThat(get(standalone.httpPort(), "routing.example.com", "/users/7").body())
                    .isEqualTo("user\n"));
    HttpResponse<String> canary =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + standalone.httpPort() + "/users/7"))
                .header("Host", "routing.example.com")
                .header("X-Canary", "true")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(canary.body()).isEqualTo("canary\n");
    HttpResponse<String> moved = get(standalone.httpPort(), "routing.example.com", "/old/a?b=1");
    assertThat(moved.statusCode()).isEqualTo(301);
    assertThat(moved.headers().firstValue("location"))
        .hasValue("https://new.example.com/new/a?b=1");
    assertThat(get(standalone.httpPort(), "routing.example.com", "/users/me").statusCode())
        .isEqualTo(404);
  }
}
