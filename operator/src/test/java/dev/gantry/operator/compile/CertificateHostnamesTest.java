package dev.gantry.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateHostnamesTest {
  @Test
  void coversAnExactNameWhateverItsCase() {
    assertThat(CertificateHostnames.covers(List.of("demo.example.com"), "demo.example.com"))
        .isTrue();
    assertThat(CertificateHostnames.covers(List.of("Demo.Example.com"), "demo.example.com"))
        .isTrue();
    assertThat(CertificateHostnames.covers(List.of("demo.example.com"), "api.example.com"))
        .isFalse();
  }

  @Test
  void aWildcardCoversExactlyOneLeftmostLabel() {
    List<String> wildcard = List.of("*.example.com");
    assertThat(CertificateHostnames.covers(wildcard, "a.example.com")).isTrue();
    assertThat(CertificateHostnames.covers(wildcard, "example.com")).isFalse();
    assertThat(CertificateHostnames.covers(wildcard, "a.b.example.com")).isFalse();
    assertThat(CertificateHostnames.covers(wildcard, "a.example.org")).isFalse();
  }

  @Test
  void aWildcardHostnameIsCoveredOnlyByTheSameWildcard() {
    assertThat(CertificateHostnames.covers(List.of("*.example.com"), "*.example.com")).isTrue();
    assertThat(CertificateHostnames.covers(List.of("a.example.com"), "*.example.com")).isFalse();
    assertThat(CertificateHostnames.covers(List.of("*.a.example.com"), "*.example.com")).isFalse();
  }

  @Test
  void partialLabelAndPublicSuffixWildcardsCoverNothing() {
    assertThat(CertificateHostnames.covers(List.of("w*.example.com"), "www.example.com")).isFalse();
    assertThat(CertificateHostnames.covers(List.of("*.com"), "example.com")).isFalse();
    assertThat(CertificateHostnames.covers(List.of("*.*.example.com"), "a.b.example.com"))
        .isFalse();
  }

  @Test
  void aCertificateWithoutDnsNamesCoversNothing() {
    assertThat(CertificateHostnames.covers(List.of(), "demo.example.com")).isFalse();
  }
}
