package dev.gantry.e2e.k3s;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Gantry image as a tarball written by Jib's {@code jib:buildTar} (docker format), and the
 * repository and tag it was built as (read from the tarball's {@code manifest.json}).
 *
 * @param tarball the image tarball on this machine
 * @param repository e.g. {@code ghcr.io/gantry-dev/gantry}
 * @param tag e.g. {@code 0.1.0-SNAPSHOT}
 */
record GantryImage(Path tarball, String repository, String tag) {

  static final String PROPERTY = "gantry.imageTar";
  static final String ENV = "GANTRY_IMAGE_TAR";

  private static final int BLOCK = 512;

  GantryImage {
    requireNonNull(tarball, "tarball");
    requireNonNull(repository, "repository");
    requireNonNull(tag, "tag");
  }

  /**
   * Returns where the tarball should be: system property {@value #PROPERTY}, else env {@value
   * #ENV}.
   */
  static Optional<Path> configuredTarball() {
    String value = System.getProperty(PROPERTY, System.getenv(ENV));
    return value == null || value.isBlank()
        ? Optional.empty()
        : Optional.of(Path.of(value).toAbsolutePath());
  }

  /** Reads the first repository tag of the image in {@code tarball}. */
  static GantryImage read(Path tarball) {
    String manifest =
        entry(tarball, "manifest.json")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        tarball
                            + ": no manifest.json (expected: a docker-format image tarball from"
                            + " jib:buildTar)"));
    List<Map<String, Object>> images = Serialization.unmarshal(manifest, List.class);
    Object tags = images.isEmpty() ? null : images.getFirst().get("RepoTags");
    if (!(tags instanceof List<?> repoTags) || repoTags.isEmpty()) {
      throw new IllegalArgumentException(
          tarball
              + ": manifest.json names no RepoTags (expected: an image built with jib.to.image)");
    }
    String reference = repoTags.getFirst().toString();
    int colon = reference.lastIndexOf(':');
    if (colon <= reference.lastIndexOf('/')) {
      return new GantryImage(tarball, reference, "latest");
    }
    return new GantryImage(tarball, reference.substring(0, colon), reference.substring(colon + 1));
  }

  String reference() {
    return repository + ":" + tag;
  }

  /** Returns the text of a top-level entry of a plain (uncompressed) tar file. */
  private static Optional<String> entry(Path tarball, String wanted) {
    try (InputStream in = Files.newInputStream(tarball);
        DataInputStream data = new DataInputStream(in)) {
      byte[] header = new byte[BLOCK];
      while (true) {
        try {
          data.readFully(header);
        } catch (EOFException end) {
          return Optional.empty();
        }
        String name = field(header, 0, 100);
        if (name.isEmpty()) {
          return Optional.empty();
        }
        long size = Long.parseLong(field(header, 124, 12).strip(), 8);
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        if (name.equals(wanted) || name.equals("./" + wanted)) {
          byte[] content = new byte[Math.toIntExact(size)];
          data.readFully(content);
          return Optional.of(new String(content, StandardCharsets.UTF_8));
        }
        data.skipNBytes(padded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + tarball, e);
    }
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
