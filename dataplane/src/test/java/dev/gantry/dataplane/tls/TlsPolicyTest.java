package dev.gantry.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.gantry.protocol.v1.ClientValidation;
import dev.gantry.protocol.v1.TlsVersion;
import dev.gantry.protocol.v1.VirtualHost;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsPolicyTest {

  private static VirtualHost host(String certificate, dev.gantry.protocol.v1.TlsPolicy policy) {
    return VirtualHost.newBuilder()
        .setName("shop")
        .setCertificate(certificate)
        .setTlsPolicy(policy)
        .build();
  }

  private static dev.gantry.protocol.v1.TlsPolicy mtls(String ca) {
    return dev.gantry.protocol.v1.TlsPolicy.newBuilder()
        .setClientValidation(ClientValidation.newBuilder().setCaBundle(ByteString.copyFromUtf8(ca)))
        .build();
  }

  @Test
  void aPolicySayingWhatTheDefaultsSayIsTheDefault() {
    dev.gantry.protocol.v1.TlsPolicy explicit =
        dev.gantry.protocol.v1.TlsPolicy.newBuilder()
            .setMinVersion(TlsVersion.TLS_VERSION_1_2)
            .build();

    assertThat(TlsPolicy.of(host("shop/tls", explicit))).isSameAs(TlsPolicy.DEFAULT);
    assertThat(TlsPolicy.of(VirtualHost.newBuilder().setCertificate("shop/tls").build()))
        .isSameAs(TlsPolicy.DEFAULT);
  }

  @Test
  void aPolicyWithoutACertificateIsIgnored() {
    assertThat(TlsPolicy.of(host("", mtls("a CA")))).isSameAs(TlsPolicy.DEFAULT);
  }

  @Test
  void equalPoliciesOfDifferentSnapshotsAreOneInstance() {
    TlsPolicy first = TlsPolicy.of(host("shop/tls", mtls("a CA")));
    TlsPolicy second = TlsPolicy.of(host("other/tls", mtls("a CA")));
    TlsPolicy other = TlsPolicy.of(host("shop/tls", mtls("another CA")));

    assertThat(second).isSameAs(first);
    assertThat(first.requiresClientCertificate()).isTrue();
    assertThat(other.sameAs(first)).isFalse();
    assertThat(first.sameAs(new TlsPolicy(false, List.of(), first.clientValidation())))
        .as("by value")
        .isTrue();
  }
}
