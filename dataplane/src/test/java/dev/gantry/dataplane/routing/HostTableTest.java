package dev.gantry.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostTableTest {

  private static VirtualHost host(String name) {
    return new VirtualHost(name, List.of(name), List.of());
  }

  @Test
  void findsANameInsideALargerStringIgnoringAsciiCase() {
    VirtualHost shop = host("shop.example.com");
    HostTable table = new HostTable(Map.of("shop.example.com", shop));

    String authority = "SHOP.Example.com:8443";
    assertThat(table.get(authority, 0, 16)).isSameAs(shop);
    assertThat(table.get(authority, 0, 15)).isNull();
    assertThat(table.get("x.shop.example.com", 2, 18)).isSameAs(shop);
  }

  @Test
  void holdsThousandsOfNamesWithoutLosingAny() {
    Map<String, VirtualHost> entries = new HashMap<>();
    for (int i = 0; i < 5000; i++) {
      entries.put("app" + i + ".example.com", host("app" + i));
    }
    HostTable table = new HostTable(entries);
    entries.forEach(
        (name, vh) -> assertThat(table.get(name.toUpperCase(), 0, name.length())).isSameAs(vh));
    assertThat(table.get("app5000.example.com", 0, 19)).isNull();
  }
}
