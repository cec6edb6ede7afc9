package dev.gantry.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.testing.TestPki;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ForwardedClientCertTest {

  private static final TestPki CA = TestPki.newCa("clients");

  @Test
  void namesTheHashSubjectUrisAndDnsNamesOfTheLeaf() throws Exception {
    TestPki.Issued client =
        CA.issue(
            "O=Example\\, Inc.,CN=payments", // encoded in this order: RFC 2253 writes it reversed
            new String[] {"payments.internal", "pay.internal"},
            new String[] {"spiffe://example.org/ns/shop/sa/payments"});
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(client.certificate().getEncoded()));

    assertThat(ForwardedClientCert.format(client.certificate(), false))
        .isEqualTo(
            "Hash="
                + hash
                + ";Subject=\"CN=payments,O=Example\\, Inc.\""
                + ";URI=spiffe://example.org/ns/shop/sa/payments"
                + ";DNS=payments.internal;DNS=pay.internal");
  }

  @Test
  void carriesTheUrlEncodedPemWhenAskedTo() {
    TestPki.Issued client = CA.issue("CN=web", new String[0], new String[0]);

    String value = ForwardedClientCert.format(client.certificate(), true);

    assertThat(value).matches("Hash=[0-9a-f]{64};Cert=\"[^\"]+\";Subject=\"CN=web\"");
    String cert = value.substring(value.indexOf("Cert=\"") + 6, value.indexOf("\";Subject"));
    assertThat(cert).doesNotContain("\n", "+", "/", "=", " ");
    assertThat(URLDecoder.decode(cert, StandardCharsets.US_ASCII))
        .isEqualToIgnoringNewLines(client.chainPem());
  }

  @Test
  void quotesAUriThatHoldsASeparator() {
    TestPki.Issued client =
        CA.issue("CN=odd", new String[0], new String[] {"https://example.org/a;b?c=d"});

    assertThat(ForwardedClientCert.format(client.certificate(), false))
        .endsWith(";Subject=\"CN=odd\";URI=\"https://example.org/a;b?c=d\"");
  }
}
