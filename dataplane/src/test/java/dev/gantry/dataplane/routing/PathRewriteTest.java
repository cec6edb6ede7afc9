package dev.gantry.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewriteTest {

  @ParameterizedTest(name = "prefix {0} -> {1}: {2} becomes {3}")
  @CsvSource({
    "/foo, /bar, /foo, /bar",
    "/foo, /bar, /foo/, /bar/",
    "/foo, /bar, /foo/x/y, /bar/x/y",
    "/foo, /, /foo/x, /x",
    "/foo, /, /foo, /",
    "/foo, /bar/, /foo/x, /bar/x",
    "/, /api, /x, /api/x",
    "/, /api, /, /api/",
    "/api/v1, /v1, /api/v1/items, /v1/items",
  })
  void replacesTheMatchedPrefixWholeSegments(
      String matched, String replacement, String path, String expected) {
    assertThat(new PathRewrite.Prefix(matched, replacement).apply(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"/anything, /new", "/, /new"})
  void replacesTheFullPath(String path, String expected) {
    assertThat(new PathRewrite.Full("/new").apply(path)).isEqualTo(expected);
  }
}
