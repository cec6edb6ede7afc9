package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void matchesAddressesInsideEachBlock() throws UnknownHostException {
    TrustedProxies proxies =
        TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.0/25", "2001:db8::/32", "203.0.113.7"));

    assertThat(proxies.contains(ip("10.255.0.1"))).isTrue();
    assertThat(proxies.contains(ip("192.168.1.127"))).isTrue();
    assertThat(proxies.contains(ip("192.168.1.128"))).isFalse();
    assertThat(proxies.contains(ip("2001:db8:1::1"))).isTrue();
    assertThat(proxies.contains(ip("2001:db9::1"))).isFalse();
    assertThat(proxies.contains(ip("203.0.113.7"))).isTrue();
    assertThat(proxies.contains(ip("203.0.113.8"))).isFalse();
    assertThat(proxies.contains(ip("11.0.0.1"))).isFalse();
  }

  @Test
  void trustsNobodyByDefault() throws UnknownHostException {
    assertThat(TrustedProxies.NONE.contains(ip("127.0.0.1"))).isFalse();
    assertThat(TrustedProxies.NONE.contains(null)).isFalse();
  }

  @Test
  void trustsEveryAddressOfTheFamilyWithPrefixZero() throws UnknownHostException {
    TrustedProxies all = TrustedProxies.of(List.of("0.0.0.0/0"));

    assertThat(all.contains(ip("198.51.100.1"))).isTrue();
    assertThat(all.contains(ip("::1"))).isFalse();
  }

  @Test
  void refusesWhatIsNotACidrBlock() {
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.example.com")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
