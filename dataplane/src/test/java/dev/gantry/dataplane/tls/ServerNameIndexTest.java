package dev.gantry.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerNameIndexTest {

  private final ServerNameIndex<String> index =
      new ServerNameIndex<>(
          Map.of(
              "shop.example.com", "exact",
              "*.example.com", "wild",
              "*", "any"));

  @Test
  void prefersTheExactNameOverTheWildcard() {
    assertThat(index.find("shop.example.com")).isEqualTo("exact");
    assertThat(index.find("cart.example.com")).isEqualTo("wild");
  }

  @Test
  void aWildcardCoversExactlyOneLabel() {
    assertThat(index.find("example.com")).isNull();
    assertThat(index.find("a.b.example.com")).isNull();
  }

  @Test
  void ignoresCaseAndATrailingDot() {
    assertThat(index.find("SHOP.Example.COM.")).isEqualTo("exact");
  }

  @Test
  void theCatchAllDomainSelectsNothing() {
    assertThat(index.find("elsewhere.test")).isNull();
    assertThat(index.find(null)).isNull();
    assertThat(index.find("")).isNull();
  }
}
