package dev.gantry.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.util.JsonFormat;
import dev.gantry.operator.translate.SnapshotTranslator;
import dev.gantry.operator.watch.ManifestReader;
import dev.gantry.protocol.v1.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: {@code compile/in/<case>.yaml} compiles to {@code compile/out/<case>.snapshot.yaml}
 * (the wire snapshot, then the report per object). Regenerate on purpose with {@code ./mvnw -pl
 * operator test -Dtest=RouteCompilerGoldenTest -Dgolden.update=true} and review the diff.
 */
class RouteCompilerGoldenTest {
  private static final Path IN = Path.of("src/test/resources/compile/in");
  private static final Path OUT = Path.of("src/test/resources/compile/out");
  // A fixed instant, so that certificate validity does not depend on the day the test runs.
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  static Stream<String> cases() throws Exception {
    try (Stream<Path> files = Files.list(IN)) {
      return files
          .map(p -> p.getFileName().toString().replace(".yaml", ""))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void compilesToTheGoldenSnapshot(String name) throws Exception {
    String actual = render(compiler().compile(read(name)));
    Path golden = OUT.resolve(name + ".snapshot.yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual);
    }
    assertThat(golden)
        .as("golden file for %s (regenerate with -Dgolden.update=true)", name)
        .exists();
    assertThat(actual).isEqualTo(Files.readString(golden));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void compilesDeterministically(String name) throws Exception {
    Snapshot first = SnapshotTranslator.translate(compiler().compile(read(name)).graph());
    Snapshot second =
        SnapshotTranslator.translate(compiler().compile(reversed(read(name))).graph());
    assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
  }

  private static RouteCompiler compiler() {
    return new RouteCompiler(CLOCK, Optional.empty());
  }

  private static Sources read(String name) throws Exception {
    return ManifestReader.toSources(ManifestReader.readFile(IN.resolve(name + ".yaml")));
  }

  private static Sources reversed(Sources s) {
    return new Sources(
        List.copyOf(s.proxyRoutes().reversed()),
        List.copyOf(s.services().reversed()),
        List.copyOf(s.endpointSlices().reversed()),
        List.copyOf(s.secrets().reversed()),
        List.copyOf(s.delegations().reversed()),
        List.copyOf(s.ingresses().reversed()),
        List.copyOf(s.ingressClasses().reversed()));
  }

  private static String sha256(String base64) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
      return "sha256:" + HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String render(CompileResult result) throws Exception {
    Snapshot snapshot = SnapshotTranslator.translate(result.graph());
    ObjectNode root = YAML.createObjectNode();
    ObjectNode wire = (ObjectNode) YAML.readTree(JsonFormat.printer().print(snapshot));
    // PEM bytes would drown the file: a certificate shows as its name and the digests of its parts.
    wire.withArray("certificates")
        .forEach(
            c -> {
              ObjectNode cert = (ObjectNode) c;
              cert.put("certificateChain", sha256(cert.path("certificateChain").asText()));
              cert.put("privateKey", sha256(cert.path("privateKey").asText()));
            });
    if (wire.withArray("certificates").isEmpty()) {
      wire.remove("certificates");
    }
    root.set("snapshot", wire);
    ArrayNode reports = root.putArray("reports");
    result
        .reports()
        .values()
        .forEach(
            r -> {
              ObjectNode n = reports.addObject();
              n.put("object", r.ref().toString());
              r.rejection()
                  .ifPresentOrElse(
                      p -> n.put("rejected", p.reason() + ": " + p.message()),
                      () -> n.put("accepted", true));
              r.unresolvedRefs()
                  .forEach(p -> n.withArray("unresolved").add(p.reason() + ": " + p.message()));
              r.unverifiedBackends().forEach(c -> n.withArray("unverifiedBackends").add(c));
            });
    return YAML.writeValueAsString(root);
  }
}
