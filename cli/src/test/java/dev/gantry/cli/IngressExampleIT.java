package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Ingress example (examples/ingress), served standalone as a user would. */
class IngressExampleIT {
  @TempDir Path dir;

  private Standalone standalone;
  private HttpServer backend;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() throws Exception {
    if (standalone != null) {
      standalone.close();
    }
    if (backend != null) {
      backend.stop(0);
    }
  }

  @Test
  void servesTheExampleIngressWithItsAppRootAndLogsTheRefusedSnippet() throws Exception {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext(
        "/",
        exchange -> {
          byte[] body = ("backend " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    backend.start();
    String example = Files.readString(Path.of("../examples/ingress/shop.yaml"));
    assertThat(example).contains("port: 9000}]");
    Files.writeString(
        dir.resolve("shop.yaml"),
        example.replace("port: 9000}]", "port: " + backend.getAddress().getPort() + "}]"));
    standalone =
        Standalone.start(
            dir,
            DataplaneConfig.defaults("ingress-example")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)));

    await().untilAsserted(() -> assertThat(get("/hello.txt").statusCode()).isEqualTo(200));
    assertThat(get("/hello.txt").body()).isEqualTo("backend /hello.txt");
    HttpResponse<String> root = get("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("location")).contains("http://shop.example.com/hello.txt");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standalone.httpPort() + path))
            .header("Host", "shop.example.com")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
