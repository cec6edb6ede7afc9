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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Ingress specification's path matching and precedence, request by request, through the whole
 * pipeline (standalone: a folder of Ingresses, the compiler, the dataplane) to backends that answer
 * with their name. The rows are the examples of the Kubernetes documentation ("Ingress: Examples"),
 * plus hosts.
 */
class IngressMatchingIT {
  private static final int BACKENDS = 3;
  private static final List<HttpServer> backends = new ArrayList<>();
  private static Standalone standalone;
  private static Path dir;

  /** Each row: an Ingress on its own host with these paths, path i to backend b{i}. */
  private static final String[][] INGRESSES = {
    {"prefix-root", "Prefix:/"},
    {"exact-foo", "Exact:/foo"},
    {"exact-foo-slash", "Exact:/foo/"},
    {"prefix-foo", "Prefix:/foo"},
    {"prefix-foo-slash", "Prefix:/foo/"},
    {"prefix-aaa-bb", "Prefix:/aaa/bb"},
    {"prefix-aaa-bbb", "Prefix:/aaa/bbb"},
    {"prefix-aaa-bbb-slash", "Prefix:/aaa/bbb/"},
    {"prefix-nested", "Prefix:/,Prefix:/aaa,Prefix:/aaa/bbb"},
    {"prefix-aaa", "Prefix:/aaa"},
    {"mixed", "Prefix:/foo,Exact:/foo"},
    {"implementation-specific", "ImplementationSpecific:/docs"},
  };

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("ingress-matching");
    StringBuilder yaml = new StringBuilder();
    for (int b = 0; b < BACKENDS; b++) {
      String name = "b" + b;
      HttpServer server = LoopbackHttp.backend(exchange -> name);
      backends.add(server);
      yaml.append(
          """
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: %s, namespace: matching}
          spec: {ports: [{name: http, port: 80}]}
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata: {name: %s-1, namespace: matching, labels: {kubernetes.io/service-name: %s}}
          addressType: IPv4
          ports: [{name: http, port: %d}]
          endpoints: [{addresses: ["127.0.0.1"]}]
          """
              .formatted(name, name, name, server.getAddress().getPort()));
    }
    for (String[] ingress : INGRESSES) {
      yaml.append(ingress(ingress[0], ingress[0] + ".test", ingress[1].split(",")));
    }
    // Hosts: an exact host beats a wildcard; a wildcard covers the labels before it; a rule without
    // a host serves every other host.
    yaml.append(ingress("exact-host", "www.shop.test", "Prefix:/"));
    yaml.append(ingress("wildcard-host", "*.shop.test", "Prefix:/").replace("b0", "b1"));
    yaml.append(ingress("any-host", null, "Prefix:/").replace("b0", "b2"));
    Files.writeString(dir.resolve("ingresses.yaml"), yaml);
    standalone =
        Standalone.start(
            dir,
            DataplaneConfig.defaults("ingress-matching")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)));
    await().untilAsserted(() -> assertThat(get("prefix-root.test", "/")).isEqualTo("b0"));
  }

  /** An Ingress on {@code host} (null: none) whose path i goes to backend b{i}. */
  private static String ingress(String name, String host, String... paths) {
    StringBuilder yaml =
        new StringBuilder()
            .append("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n")
            .append("metadata: {name: ")
            .append(name)
            .append(", namespace: matching}\nspec:\n  rules:\n    - ")
            .append(host == null ? "" : "host: \"" + host + "\"\n      ")
            .append("http:\n        paths:\n");
    for (int i = 0; i < paths.length; i++) {
      String[] typed = paths[i].split(":");
      yaml.append(
          "          - {path: %s, pathType: %s, backend: {service: {name: b%d, port: {number: 80}}}}\n"
              .formatted(typed[1], typed[0], i));
    }
    return yaml.toString();
  }

  @AfterAll
  static void stop() throws Exception {
    if (standalone != null) {
      standalone.close();
    }
    backends.forEach(s -> s.stop(0));
  }

  private static String get(String host, String path) throws Exception {
    return LoopbackHttp.get(standalone.httpPort(), host, path);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // The Kubernetes documentation's table (b0 is the first path of the Ingress, 404: none).
        "prefix-root.test          | /anything     | b0",
        "exact-foo.test            | /foo          | b0",
        "exact-foo.test            | /bar          | 404",
        "exact-foo.test            | /foo/         | 404",
        "exact-foo-slash.test      | /foo          | 404",
        "prefix-foo.test           | /foo          | b0",
        "prefix-foo.test           | /foo/         | b0",
        "prefix-foo-slash.test     | /foo          | b0",
        "prefix-foo-slash.test     | /foo/         | b0",
        "prefix-aaa-bb.test        | /aaa/bbb      | 404",
        "prefix-aaa-bbb.test       | /aaa/bbb      | b0",
        "prefix-aaa-bbb-slash.test | /aaa/bbb      | b0",
        "prefix-aaa-bbb.test       | /aaa/bbb/     | b0",
        "prefix-aaa-bbb.test       | /aaa/bbb/ccc  | b0",
        "prefix-aaa-bbb.test       | /aaa/bbbxyz   | 404",
        "prefix-nested.test        | /aaa/ccc      | b1",
        "prefix-nested.test        | /aaa/bbb      | b2",
        "prefix-nested.test        | /ccc          | b0",
        "prefix-aaa.test           | /ccc          | 404",
        "mixed.test                | /foo          | b1",
        "mixed.test                | /foo/x        | b0",
        // ImplementationSpecific is a Prefix here.
        "implementation-specific.test | /docs/intro | b0",
        "implementation-specific.test | /docsx      | 404",
        // Hosts: exact before wildcard; the wildcard covers one label or more (as nginx's
        // server_name does); no host serves the rest; Host is case-insensitive, its port ignored.
        "www.shop.test             | /             | b0",
        "api.shop.test             | /             | b1",
        "a.b.shop.test             | /             | b1",
        "shop.test                 | /             | b2",
        "WWW.Shop.Test:8080        | /             | b0",
        "unknown.example           | /             | b2",
      })
  void picksTheBackendTheSpecificationSays(String host, String path, String expected)
      throws Exception {
    assertThat(get(host, path)).isEqualTo(expected);
  }
}
