package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

  @Test
  void anIpv4MappedIpv6AddressIsJudgedAsTheIpv4AddressItMaps() {
    byte[] mapped = NetUtil.createByteArrayFromIpAddressString("::ffff:10.0.0.1");

    assertThat(ClientAddress.unmapped(mapped)).containsExactly(10, 0, 0, 1);
  }

  @Test
  void otherAddressesStayAsTheyAre() {
    byte[] v6 = NetUtil.createByteArrayFromIpAddressString("2001:db8::1");
    byte[] v4 = NetUtil.createByteArrayFromIpAddressString("192.0.2.1");

    assertThat(ClientAddress.unmapped(v6)).isSameAs(v6);
    assertThat(ClientAddress.unmapped(v4)).isSameAs(v4);
  }
}
