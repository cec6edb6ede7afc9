package dev.gantry.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.resolver.ResolvedAddressTypes;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LoopbackNamesResolverTest {
  private final LoopbackNamesResolver resolver = new LoopbackNamesResolver();

  @Test
  void answersNamesUnderLocalhostWithLoopback() throws Exception {
    assertThat(resolver.address("web.localhost", ResolvedAddressTypes.IPV4_PREFERRED))
        .isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(resolver.address("A.B.LOCALHOST.", ResolvedAddressTypes.IPV4_ONLY))
        .isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(resolver.address("web.localhost", ResolvedAddressTypes.IPV6_PREFERRED))
        .isEqualTo(InetAddress.getByName("::1"));
  }

  @Test
  void leavesOtherNamesToTheHostsFile() {
    assertThat(resolver.address("notlocalhost.example", ResolvedAddressTypes.IPV4_PREFERRED))
        .isNull();
    assertThat(resolver.address("localhost.example.com", ResolvedAddressTypes.IPV4_PREFERRED))
        .isNull();
  }
}
