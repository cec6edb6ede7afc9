package dev.gantry.e2e.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GantryImageTest {

  @Test
  void readsTheRepositoryAndTagFromTheManifest(@TempDir Path dir) throws IOException {
    Path tar =
        tar(
            dir,
            "config.json",
            "{}",
            "manifest.json",
            "[{\"Config\":\"config.json\",\"RepoTags\":[\"registry.test:5000/gantry:0.1.0-SNAPSHOT\"],\"Layers\":[]}]");

    GantryImage image = GantryImage.read(tar);

    assertThat(image.repository()).isEqualTo("registry.test:5000/gantry");
    assertThat(image.tag()).isEqualTo("0.1.0-SNAPSHOT");
  }

  @Test
  void rejectsATarballWithoutManifest(@TempDir Path dir) throws IOException {
    Path tar = tar(dir, "config.json", "{}");

    assertThatThrownBy(() -> GantryImage.read(tar)).hasMessageContaining("no manifest.json");
  }

  /** Writes a minimal ustar archive of (name, content) pairs. */
  private static Path tar(Path dir, String... entries) throws IOException {
    var out = new ByteArrayOutputStream();
    for (int i = 0; i < entries.length; i += 2) {
      byte[] content = entries[i + 1].getBytes(StandardCharsets.UTF_8);
      byte[] header = new byte[512];
      byte[] name = entries[i].getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, header, 0, name.length);
      byte[] size = String.format("%011o", content.length).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(size, 0, header, 124, size.length);
      header[156] = '0';
      out.write(header);
      out.write(content);
      out.write(new byte[(512 - content.length % 512) % 512]);
    }
    out.write(new byte[1024]);
    Path tar = dir.resolve("image.tar");
    Files.write(tar, out.toByteArray());
    return tar;
  }
}
