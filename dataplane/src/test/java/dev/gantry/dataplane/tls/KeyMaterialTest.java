package dev.gantry.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
import dev.gantry.dataplane.testing.TestCertificates.KeyFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyMaterialTest {

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void readsEveryKeyEncodingASecretHolds(KeyFormat format) {
    Issued issued = TestCertificates.issue("default/shop", format, "shop.example.com");

    KeyMaterial material = KeyMaterial.parse(issued.chainPem(), issued.keyPem());

    assertThat(material.leaf()).isEqualTo(issued.certificate());
    assertThat(new String(issued.keyPem(), StandardCharsets.US_ASCII))
        .contains(
            switch (format) {
              case RSA_PKCS1 -> "BEGIN RSA PRIVATE KEY";
              case EC_SEC1 -> "BEGIN EC PRIVATE KEY";
              case RSA_PKCS8, EC_PKCS8 -> "BEGIN PRIVATE KEY";
            });
  }

  @Test
  void skipsTheEcParametersBlockOpensslWritesBeforeTheKey() {
    Issued issued = TestCertificates.issue("default/shop", KeyFormat.EC_SEC1, "shop.example.com");
    String parameters =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    byte[] key =
        (parameters + new String(issued.keyPem(), StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);

    assertThat(KeyMaterial.parse(issued.chainPem(), key).leaf()).isEqualTo(issued.certificate());
  }

  @Test
  void refusesAKeyThatIsNotTheLeafCertificates() {
    Issued shop = TestCertificates.issue("default/shop", "shop.example.com");
    Issued other = TestCertificates.issue("default/other", "other.example.com");

    assertThatThrownBy(() -> KeyMaterial.parse(shop.chainPem(), other.keyPem()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("tls.key does not belong to the certificate CN=shop.example.com");
  }

  @Test
  void refusesAnRsaKeyForAnEcdsaCertificate() {
    Issued shop = TestCertificates.issue("default/shop", KeyFormat.EC_SEC1, "shop.example.com");
    Issued rsa = TestCertificates.issue("default/rsa", KeyFormat.RSA_PKCS1, "shop.example.com");

    assertThatThrownBy(() -> KeyMaterial.parse(shop.chainPem(), rsa.keyPem()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void refusesAChainThatIsNotPem() {
    Issued shop = TestCertificates.issue("default/shop", "shop.example.com");

    assertThatThrownBy(
            () ->
                KeyMaterial.parse(
                    "not a certificate".getBytes(StandardCharsets.US_ASCII), shop.keyPem()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith("tls.crt: ");
  }

  @Test
  void refusesAKeyFileWithoutAKey() {
    Issued shop = TestCertificates.issue("default/shop", "shop.example.com");

    assertThatThrownBy(() -> KeyMaterial.parse(shop.chainPem(), shop.chainPem()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("tls.key: no private key");
  }
}
