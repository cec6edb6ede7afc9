package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.dataplane.testing.TestBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Runs h2spec — every generic, HTTP/2 and HPACK case, strict ones included, with no exclusions —
 * against the cleartext listener, once on a route the proxy answers itself and once on a route it
 * forwards to a backend. h2spec is built by {@code .ci/h2spec.sh} and found through the {@code
 * H2SPEC} environment variable (bin/test sets it) or in the script's default cache. Without it the
 * test is skipped, unless {@code gantry.requireH2spec} or {@code gantry.requireKubeApiTest} is
 * true: then it fails.
 */
class H2SpecIT {

  static final String REQUIRE_PROPERTY = "gantry.requireH2spec";
  static final Path DEFAULT_BINARY =
      Path.of(
          System.getProperty("user.home"),
          ".cache",
          "gantry",
          "h2spec",
          "v2.2.1+incompatible",
          "h2spec");

  private final TestBackend backend = TestBackend.start("h2spec");
  private final DataplaneFixture fixture = DataplaneFixture.start();
  private Path h2spec;

  @BeforeEach
  void setUp() {
    h2spec = binary();
    fixture.apply(
        snapshot(
            1,
            List.of(
                host(
                    "any",
                    List.of("*"),
                    prefix("backend", "/backend", "backend"),
                    direct("direct", "/", 200, "answered by the proxy\n"))),
            List.of(cluster("backend", backend.address()))));
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    backend.close();
  }

  @Test
  void passesEveryCaseOnADirectResponse(@TempDir Path dir) throws Exception {
    assertPassesEveryCase(dir, "/");
  }

  @Test
  void passesEveryCaseOnAForwardedRoute(@TempDir Path dir) throws Exception {
    assertPassesEveryCase(dir, "/backend/h2spec");
  }

  private void assertPassesEveryCase(Path dir, String path) throws Exception {
    Path report = dir.resolve("report.xml");
    Path output = dir.resolve("output.txt");
    Process process =
        new ProcessBuilder(
                h2spec.toString(),
                "--strict",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(fixture.dataplane.httpPort()),
                "-P",
                path,
                "-j",
                report.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("h2spec did not finish within 5 minutes:\n" + Files.readString(output));
    }
    assertThat(report).as("h2spec output:\n%s", Files.readString(output)).exists();

    Element suites =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(report.toFile())
            .getDocumentElement();
    NodeList cases = suites.getElementsByTagName("testcase");
    List<String> failed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < cases.getLength(); i++) {
      Element testCase = (Element) cases.item(i);
      String id = testCase.getAttribute("package") + " " + testCase.getAttribute("classname");
      if (testCase.getElementsByTagName("failure").getLength() > 0
          || testCase.getElementsByTagName("error").getLength() > 0) {
        failed.add(id);
      } else if (testCase.getElementsByTagName("skipped").getLength() > 0) {
        skipped.add(id);
      }
    }
    assertThat(cases.getLength()).as("h2spec cases run").isGreaterThan(100);
    assertThat(failed)
        .as(
            "h2spec cases failed on %s (%d of %d):%n%s%noutput:%n%s",
            path, failed.size(), cases.getLength(), String.join("\n", failed), tail(output))
        .isEmpty();
    assertThat(skipped).as("h2spec cases skipped on %s", path).isEmpty();
  }

  private static Path binary() {
    String env = System.getenv("H2SPEC");
    Path binary = env == null || env.isBlank() ? DEFAULT_BINARY : Path.of(env);
    if (Files.isExecutable(binary)) {
      return binary;
    }
    String reason =
        "h2spec not found at "
            + binary
            + "; build it with .ci/h2spec.sh and export H2SPEC=<the path it prints>";
    if (Boolean.getBoolean(REQUIRE_PROPERTY) || Boolean.getBoolean("gantry.requireKubeApiTest")) {
      fail(reason);
    }
    assumeTrue(false, reason);
    return binary;
  }

  private static String tail(Path output) throws IOException {
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size()));
  }
}
