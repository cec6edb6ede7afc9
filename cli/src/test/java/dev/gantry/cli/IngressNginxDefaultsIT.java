package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingress-nginx ConfigMap's global defaults reaching an Ingress written for ingress-nginx, as a
 * client sees them: its proxy-body-size applies unless the Ingress says otherwise.
 */
class IngressNginxDefaultsIT {
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

  private int post(String host, int bytes) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standalone.httpPort() + "/"))
                .header("Host", host)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bytes]))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void theConfigMapsBodyLimitAppliesUnlessTheIngressSetsItsOwn() throws Exception {
    backend = LoopbackHttp.backend(exchange -> "ok");
    Files.writeString(
        dir.resolve("defaults.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
        data: {proxy-body-size: 1k, worker-processes: "4"}
        ---
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
        metadata: {name: plain, namespace: default}
        spec:
          rules:
            - host: plain.test
              http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: bigger
          namespace: default
          annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 8k}
        spec:
          rules:
            - host: bigger.test
              http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}
        """
            .formatted(backend.getAddress().getPort()));
    standalone =
        Standalone.start(
            dir,
            DataplaneConfig.defaults("nginx-defaults")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)),
            Optional.of("ingress-nginx/ingress-nginx-controller"));

    await().untilAsserted(() -> assertThat(post("plain.test", 100)).isEqualTo(200));
    assertThat(post("plain.test", 2048)).as("over the ConfigMap's 1k").isEqualTo(413);
    assertThat(post("bigger.test", 2048)).as("the Ingress's own 8k").isEqualTo(200);
  }
}
