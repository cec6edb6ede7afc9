package dev.gantry.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fails when the CRD checked in under {@code crds/} differs from the one the build generates from
 * the Java types. Regenerate with {@code cp crds/target/classes/META-INF/fabric8/*.yml crds/}.
 */
class CrdDriftTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"proxyroutes.gantry.dev-v1.yml", "tlscertificatedelegations.gantry.dev-v1.yml"})
  void checkedInCrdMatchesTheJavaTypes(String file) throws IOException {
    String generated = Files.readString(Path.of("target/classes/META-INF/fabric8", file));
    String checkedIn = Files.readString(Path.of(file));

    assertThat(checkedIn)
        .as("crds/%s is stale: copy it from crds/target/classes/META-INF/fabric8/", file)
        .isEqualTo(generated);
  }
}
