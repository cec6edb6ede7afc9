package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/, /",
    "/a, /a",
    "/a/b/c, /a/b/c",
    "/a/, /a/",
    // merged slashes
    "//, /",
    "//a///b//, /a/b/",
    // dot segments, RFC 3986 §5.2.4
    "/., /",
    "/./a, /a",
    "/a/./b, /a/b",
    "/a/b/.., /a/",
    "/a/b/../c, /a/c",
    "/a/b/c/./../../g, /a/g",
    "/a/.., /",
    "/a/b/., /a/b/",
    "/a/..b/c, /a/..b/c",
    "/a/.b., /a/.b.",
    "/a/.../b, /a/.../b",
    // percent-decoding of unreserved characters only
    "/%61%62%63, /abc",
    "/%7e%2D%2e%5F, /~-._",
    "/a%20b, /a%20b",
    "/a%3fb, /a%3Fb",
    "/%c3%a9, /%C3%A9",
    "/a/%2e%2e/b, /b",
    "/a/%2E/b, /a/b",
    // other characters are left alone
    "/a:b@c, /a:b@c",
    "/a;b=c, /a;b=c",
  })
  void normalises(String in, String out) {
    assertThat(PathNormalizer.normalize(in)).isEqualTo(out);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        // encoded slash, backslash and NUL in either case
        "/a%2Fb",
        "/a%2fb",
        "/a%5Cb",
        "/a%5cb",
        "/a%00b",
        // escapes above the root
        "/..",
        "/../a",
        "/a/../..",
        "/a/%2e%2e/%2E%2E/b",
        "/./../a",
        // malformed escapes
        "/a%",
        "/a%2",
        "/a%zz",
        "/a%-1",
        // raw characters backends disagree on
        "/a\\b",
        "/a b",
        "/a\tb",
        "/a\u0000b",
        "/a\u007fb",
        "/a#b",
        // not a path
        "",
        "a/b",
        "*"
      })
  void refuses(String in) {
    assertThat(PathNormalizer.normalize(in)).isNull();
  }
}
