package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingress-nginx canaries as a client sees them: by header, by cookie, and by weight (0 and 100, the
 * weights whose outcome is certain).
 */
class IngressCanaryIT {
  @TempDir Path dir;

  private final List<HttpServer> backends = new ArrayList<>();
  private Standalone standalone;

  @AfterEach
  void stop() throws Exception {
    if (standalone != null) {
      standalone.close();
    }
    backends.forEach(b -> b.stop(0));
  }

  private int backend(String name) throws Exception {
    HttpServer server = LoopbackHttp.backend(exchange -> name);
    backends.add(server);
    return server.getAddress().getPort();
  }

  private void write(int mainPort, int canaryPort, int weight) throws Exception {
    StringBuilder yaml = new StringBuilder();
    for (String[] s : new String[][] {{"main", "" + mainPort}, {"canary", "" + canaryPort}}) {
      yaml.append(
          """
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: %s, namespace: default}
          spec: {ports: [{name: http, port: 80}]}
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata: {name: %s-1, namespace: default, labels: {kubernetes.io/service-name: %s}}
          addressType: IPv4
          ports: [{name: http, port: %s}]
          endpoints: [{addresses: ["127.0.0.1"]}]
          """
              .formatted(s[0], s[0], s[0], s[1]));
    }
    yaml.append(
        """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: main, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec:
          rules:
            - host: shop.test
              http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: main, port: {number: 80}}}}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: beta
          namespace: default
          creationTimestamp: "2026-01-02T00:00:00Z"
          annotations:
            nginx.ingress.kubernetes.io/canary: "true"
            nginx.ingress.kubernetes.io/canary-by-header: X-Beta
            nginx.ingress.kubernetes.io/canary-by-cookie: beta
            nginx.ingress.kubernetes.io/canary-weight: "%d"
        spec:
          rules:
            - host: shop.test
              http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: canary, port: {number: 80}}}}]}
        """
            .formatted(weight));
    Files.writeString(dir.resolve("canary.yaml"), yaml);
  }

  private String get(String header, String value) throws Exception {
    return header == null
        ? LoopbackHttp.get(standalone.httpPort(), "shop.test", "/")
        : LoopbackHttp.get(standalone.httpPort(), "shop.test", "/", header, value);
  }

  @Test
  void headerAndCookieChooseTheCanaryAndTheWeightSharesTheRest() throws Exception {
    int main = backend("main");
    int canary = backend("canary");
    write(main, canary, 0);
    standalone =
        Standalone.start(
            dir,
            DataplaneConfig.defaults("ingress-canary")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)));

    await().untilAsserted(() -> assertThat(get(null, null)).isEqualTo("main"));
    assertThat(get("X-Beta", "always")).isEqualTo("canary");
    assertThat(get("X-Beta", "no")).isEqualTo("main");
    assertThat(get("Cookie", "session=1; beta=always")).isEqualTo("canary");
    assertThat(get("Cookie", "beta=never")).isEqualTo("main");

    write(main, canary, 100); // every request without a say goes to the canary
    await().untilAsserted(() -> assertThat(get(null, null)).isEqualTo("canary"));
    for (int i = 0; i < 20; i++) {
      assertThat(get(null, null)).isEqualTo("canary");
    }
  }
}
