package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sends every case of the corpus in {@code src/test/resources/smuggling} over a raw socket to a
 * real dataplane in front of a real loopback backend, and checks what a client and the backend
 * observe: the status, that a refused request closes the connection, and that the backend never
 * receives more than the one legitimate request (never a smuggled second one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmugglingIT {

  private TestBackend backend;
  private DataplaneFixture fixture;

  @BeforeAll
  void start() {
    backend = TestBackend.start("a");
    fixture = DataplaneFixture.start();
    fixture.apply(
        snapshot(
            1,
            List.of(host("shop", List.of("shop.example.com"), prefix("all", "/", "a"))),
            List.of(cluster("a", backend.address()))));
  }

  @AfterAll
  void stop() {
    fixture.close();
    backend.close();
  }

  static Stream<Path> corpus() throws IOException, URISyntaxException {
    URL folder = SmugglingIT.class.getClassLoader().getResource("smuggling");
    return Files.list(Path.of(folder.toURI())).filter(p -> p.toString().endsWith(".http")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void answersTheExpectedStatusAndNeverForwardsASecondRequest(Path file) throws IOException {
    Case c = Case.read(file);
    int before = backend.received().size();

    RawHttp.Response response;
    try (RawHttp client = RawHttp.connect(fixture.dataplane.httpPort())) {
      client.sendBytes(c.request());
      response = client.read();
      if (response.status() >= 400) {
        assertThat(response.headers()).containsEntry("connection", "close");
        client.readUntilClosed(); // times out (and fails) if the proxy keeps the connection
      }
    }

    assertThat(response.status()).as(c.description()).isEqualTo(c.expectedStatus());
    // A marker on a fresh connection: once the backend saw it, it saw whatever came before it.
    String marker = "/marker-" + file.getFileName();
    assertThat(fixture.get("shop.example.com", marker).statusCode()).isEqualTo(200);
    // The backend records "METHOD target".
    await().until(() -> backend.received().contains("GET " + marker));
    List<String> seen =
        backend.received().subList(before, backend.received().size()).stream()
            .filter(request -> !request.equals("GET " + marker))
            .toList();
    assertThat(seen).as("requests the backend saw").noneMatch(uri -> uri.contains("smuggled"));
    assertThat(seen).as("requests the backend saw").hasSizeLessThanOrEqualTo(c.backendRequests());
    if (c.expectedStatus() < 400) {
      assertThat(seen).hasSize(c.backendRequests());
    }
  }

  /** One corpus file: metadata comments, then the request with escapes (see the README there). */
  record Case(String description, int expectedStatus, int backendRequests, byte[] request) {

    static Case read(Path file) {
      try {
        String description = file.getFileName().toString();
        int status = -1;
        int backendRequests = 0;
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.startsWith("# expect: ")) {
            status = Integer.parseInt(line.substring("# expect: ".length()).trim());
          } else if (line.startsWith("# backend-requests: ")) {
            backendRequests =
                Integer.parseInt(line.substring("# backend-requests: ".length()).trim());
          } else if (line.startsWith("# ")) {
            description += ": " + line.substring(2);
          } else {
            unescape(line, request);
          }
        }
        if (status < 0) {
          throw new IllegalStateException(file + ": no '# expect: <status>' line");
        }
        return new Case(description, status, backendRequests, request.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void unescape(String line, ByteArrayOutputStream out) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c != '\\') {
          out.write(c);
          continue;
        }
        char e = line.charAt(++i);
        switch (e) {
          case 'r' -> out.write('\r');
          case 'n' -> out.write('\n');
          case 't' -> out.write('\t');
          case '"' -> out.write('"');
          case '\\' -> out.write('\\');
          case 'x' -> {
            out.write(Integer.parseInt(line.substring(i + 1, i + 3), 16));
            i += 2;
          }
          default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + line);
        }
      }
    }
  }
}
