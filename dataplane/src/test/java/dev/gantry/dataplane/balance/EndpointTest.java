package dev.gantry.dataplane.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void acceptsLiteralAddressesAndDnsNames() {
    assertThat(Endpoint.isValidHost("10.0.0.1")).isTrue();
    assertThat(Endpoint.isValidHost("fd00::1")).isTrue();
    assertThat(Endpoint.isValidHost("web.default.svc.cluster.local")).isTrue();
    assertThat(Endpoint.isValidHost("web-1.example.com.")).isTrue();
    assertThat(Endpoint.isValidHost("localhost")).isTrue();
  }

  @Test
  void refusesWhatIsNeither() {
    assertThat(Endpoint.isValidHost("")).isFalse();
    assertThat(Endpoint.isValidHost("web_1.example.com")).isFalse();
    assertThat(Endpoint.isValidHost("-web.example.com")).isFalse();
    assertThat(Endpoint.isValidHost("web..example.com")).isFalse();
    assertThat(Endpoint.isValidHost("a".repeat(64) + ".com")).isFalse();
    assertThat(Endpoint.isValidHost("http://web")).isFalse();
  }

  @Test
  void refusesAWeightBelowOne() {
    assertThatThrownBy(() -> new Endpoint(new InetSocketAddress("127.0.0.1", 80), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: 0 (expected: >= 1)");
  }
}
