package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ingress-nginx's use-regex and rewrite-target as an Ingress written for it expects, request by
 * request through standalone to a backend that answers with the path it received.
 */
class IngressRewriteIT {
  private static HttpServer backend;
  private static Standalone standalone;

  @BeforeAll
  static void start() throws Exception {
    backend = LoopbackHttp.backend(exchange -> exchange.getRequestURI().toString());
    Path dir = Files.createTempDirectory("ingress-rewrite");
    Files.writeString(
        dir.resolve("rewrite.yaml"),
        """
        apiVersion: v1
        kind: Service
        metadata: {name: app, namespace: default}
        spec: {ports: [{name: http, port: 80}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: app-1, namespace: default, labels: {kubernetes.io/service-name: app}}
        addressType: IPv4
        ports: [{name: http, port: %d}]
        endpoints: [{addresses: ["127.0.0.1"]}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: rewrite
          namespace: default
          annotations:
            nginx.ingress.kubernetes.io/rewrite-target: /$2
        spec:
          rules:
            - host: rewrite.test
              http:
                paths:
                  - path: /something(/|$)(.*)
                    pathType: ImplementationSpecific
                    backend: {service: {name: app, port: {number: 80}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: regex
          namespace: default
          annotations:
            nginx.ingress.kubernetes.io/use-regex: "true"
        spec:
          rules:
            - host: regex.test
              http:
                paths:
                  - path: /api/v[0-9]+/
                    pathType: ImplementationSpecific
                    backend: {service: {name: app, port: {number: 80}}}
        """
            .formatted(backend.getAddress().getPort()));
    standalone =
        Standalone.start(
            dir,
            DataplaneConfig.defaults("ingress-rewrite")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)));
    await().untilAsserted(() -> assertThat(get("regex.test", "/api/v1/x")).isEqualTo("/api/v1/x"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (standalone != null) {
      standalone.close();
    }
    backend.stop(0);
  }

  private static String get(String host, String path) throws Exception {
    return LoopbackHttp.get(standalone.httpPort(), host, path);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rewrite.test | /something           | /",
        "rewrite.test | /something/          | /",
        "rewrite.test | /something/new       | /new",
        "rewrite.test | /something/new?q=1   | /new?q=1",
        "rewrite.test | /SOMETHING/x         | /x",
        "rewrite.test | /somethingelse       | 404",
        "rewrite.test | /other               | 404",
        "regex.test   | /api/v2/users        | /api/v2/users",
        "regex.test   | /API/V3/             | /API/V3/",
        "regex.test   | /api/vx/users        | 404",
      })
  void rewritesAndMatchesAsIngressNginxDoes(String host, String path, String expected)
      throws Exception {
    assertThat(get(host, path)).isEqualTo(expected);
  }
}
