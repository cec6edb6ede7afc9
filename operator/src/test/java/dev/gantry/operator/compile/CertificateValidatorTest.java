package dev.gantry.operator.compile;

import static dev.gantry.operator.compile.TestCertificates.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.operator.compile.CertificateValidator.Invalid;
import dev.gantry.operator.compile.CertificateValidator.Parsed;
import dev.gantry.operator.compile.CertificateValidator.Result;
import dev.gantry.operator.compile.TestCertificates.Issued;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

class CertificateValidatorTest {
  private static final Instant NOW = Instant.now();
  private static final Issued RSA =
      TestCertificates.selfSigned(TestCertificates.rsa(), "rsa.example.com");
  private static final Issued EC =
      TestCertificates.selfSigned(
          TestCertificates.ec("secp256r1"), "ec.example.com", "*.EC.example.com");

  @Test
  void acceptsAnRsaKeyInPkcs1() {
    assertParsed(CertificateValidator.parse(RSA.certificatePem(), RSA.traditionalKeyPem()));
    assertThat(new String(RSA.traditionalKeyPem(), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN RSA PRIVATE KEY-----");
  }

  @Test
  void acceptsAnRsaKeyInPkcs8() {
    assertParsed(CertificateValidator.parse(RSA.certificatePem(), RSA.pkcs8KeyPem()));
    assertThat(new String(RSA.pkcs8KeyPem(), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void acceptsAnEcKeyInSec1AndReturnsTheDnsNamesInLowerCase() {
    Result result = CertificateValidator.parse(EC.certificatePem(), EC.traditionalKeyPem());
    assertParsed(result);
    assertThat(((Parsed) result).dnsNames()).containsExactly("ec.example.com", "*.ec.example.com");
    assertThat(new String(EC.traditionalKeyPem(), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN EC PRIVATE KEY-----");
  }

  @Test
  void acceptsAnEcKeyInPkcs8() {
    assertParsed(CertificateValidator.parse(EC.certificatePem(), EC.pkcs8KeyPem()));
  }

  @Test
  void acceptsTheEcParametersBlockOpensslWritesBeforeTheKey() throws Exception {
    byte[] key =
        concat(
            TestCertificates.pem(
                new org.bouncycastle.util.io.pem.PemObject(
                    "EC PARAMETERS", X9ObjectIdentifiers.prime256v1.getEncoded())),
            EC.traditionalKeyPem());
    assertThat(new String(key, StandardCharsets.US_ASCII)).contains("BEGIN EC PARAMETERS");
    assertParsed(CertificateValidator.parse(EC.certificatePem(), key));
  }

  @Test
  void acceptsAChainWithTheLeafFirstAndReadsTheLeafsNames() {
    KeyPair caKeys = TestCertificates.ec("secp384r1");
    Issued ca = TestCertificates.selfSigned(caKeys);
    Issued leaf =
        TestCertificates.issue(
            TestCertificates.rsa(),
            caKeys,
            "CN=leaf",
            "CN=no-san",
            NOW.minus(1, ChronoUnit.DAYS),
            NOW.plus(90, ChronoUnit.DAYS),
            "leaf.example.com");
    Result result =
        CertificateValidator.parse(
            concat(leaf.certificatePem(), ca.certificatePem()), leaf.pkcs8KeyPem());
    assertParsed(result);
    assertThat(((Parsed) result).dnsNames()).containsExactly("leaf.example.com");
  }

  @Test
  void refusesAKeyThatBelongsToAnotherCertificate() {
    Issued other = TestCertificates.selfSigned(TestCertificates.rsa(), "rsa.example.com");
    assertInvalid(
        CertificateValidator.parse(RSA.certificatePem(), other.traditionalKeyPem()),
        "tls.key does not belong to the first certificate of tls.crt (its subject:"
            + " CN=rsa.example.com)");
  }

  @Test
  void refusesAKeyOfAnotherAlgorithmOrCurve() {
    assertInvalid(
        CertificateValidator.parse(RSA.certificatePem(), EC.pkcs8KeyPem()),
        "tls.key does not belong");
    Issued p384 = TestCertificates.selfSigned(TestCertificates.ec("secp384r1"), "ec.example.com");
    assertInvalid(
        CertificateValidator.parse(EC.certificatePem(), p384.traditionalKeyPem()),
        "tls.key does not belong");
  }

  @Test
  void refusesAKeyWhoseLeafComesSecond() {
    Issued other = TestCertificates.selfSigned(TestCertificates.rsa(), "other.example.com");
    assertInvalid(
        CertificateValidator.parse(
            concat(other.certificatePem(), RSA.certificatePem()), RSA.pkcs8KeyPem()),
        "tls.key does not belong to the first certificate");
  }

  @Test
  void refusesAnEncryptedKey() {
    assertInvalid(
        CertificateValidator.parse(RSA.certificatePem(), RSA.encryptedKeyPem()),
        "tls.key is encrypted (expected: an unencrypted key)");
  }

  @Test
  void refusesAKeyThatIsNeitherRsaNorEc() throws Exception {
    KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Issued edCert = new Issued(ed, RSA.certificate());
    assertInvalid(
        CertificateValidator.parse(RSA.certificatePem(), edCert.pkcs8KeyPem()),
        "(expected: RSA or EC)");
  }

  @Test
  void refusesTwoKeys() {
    assertInvalid(
        CertificateValidator.parse(
            RSA.certificatePem(), concat(RSA.traditionalKeyPem(), RSA.pkcs8KeyPem())),
        "tls.key holds more than one private key (expected: one)");
  }

  @Test
  void refusesAKeyFileWithoutAKey() {
    assertInvalid(
        CertificateValidator.parse(RSA.certificatePem(), new byte[0]),
        "tls.key holds no PEM private key");
    assertInvalid(
        CertificateValidator.parse(RSA.certificatePem(), RSA.certificatePem()),
        "tls.key holds a CERTIFICATE (expected: RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)");
  }

  @Test
  void refusesAChainWithoutCertificatesOrWithAKeyInIt() {
    assertInvalid(
        CertificateValidator.parse(
            "not pem".getBytes(StandardCharsets.US_ASCII), RSA.pkcs8KeyPem()),
        "tls.crt holds no PEM certificate");
    assertInvalid(
        CertificateValidator.parse(
            concat(RSA.certificatePem(), RSA.pkcs8KeyPem()), RSA.pkcs8KeyPem()),
        "tls.crt holds a private key (expected: CERTIFICATE blocks only)");
  }

  @Test
  void refusesACertificateWhoseBase64IsBroken() {
    byte[] broken =
        new String(RSA.certificatePem(), StandardCharsets.US_ASCII)
            .replaceFirst("\n[A-Za-z0-9+/]{10}", "\n!!!!!!!!!!")
            .getBytes(StandardCharsets.US_ASCII);
    assertInvalid(
        CertificateValidator.parse(broken, RSA.pkcs8KeyPem()),
        "tls.crt is not a PEM certificate chain: ");
  }

  @Test
  void tellsWhenTheLeafExpiredOrIsNotYetValid() {
    KeyPair keys = TestCertificates.rsa();
    Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
    Instant notAfter = Instant.parse("2021-01-01T00:00:00Z");
    Issued old =
        TestCertificates.issue(
            keys, keys, "CN=old", "CN=old", notBefore, notAfter, "old.example.com");
    Parsed parsed = (Parsed) CertificateValidator.parse(old.certificatePem(), old.pkcs8KeyPem());

    assertThat(parsed.validAt(Instant.parse("2020-06-01T00:00:00Z"))).isNull();
    assertThat(parsed.validAt(Instant.parse("2021-01-01T00:00:01Z")))
        .isEqualTo("the certificate expired at 2021-01-01T00:00:00Z");
    assertThat(parsed.validAt(Instant.parse("2019-12-31T23:59:59Z")))
        .isEqualTo("the certificate is not valid before 2020-01-01T00:00:00Z");
  }

  @Test
  void tellsWhenTheLeafsValidityNextChanges() {
    KeyPair keys = TestCertificates.rsa();
    Issued cert =
        TestCertificates.issue(
            keys,
            keys,
            "CN=x",
            "CN=x",
            Instant.parse("2020-01-01T00:00:00Z"),
            Instant.parse("2021-01-01T00:00:00Z"),
            "x.example.com");
    Parsed parsed = (Parsed) CertificateValidator.parse(cert.certificatePem(), cert.pkcs8KeyPem());

    assertThat(parsed.nextChangeAfter(Instant.parse("2019-06-01T00:00:00Z")))
        .contains(Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(parsed.nextChangeAfter(Instant.parse("2020-06-01T00:00:00Z")))
        .contains(Instant.parse("2021-01-01T00:00:01Z"));
    assertThat(parsed.nextChangeAfter(Instant.parse("2021-01-01T00:00:01Z"))).isEmpty();
  }

  @Test
  void acceptsKeysAsOpenssl3WritesThem() throws Exception {
    // Made once by openssl 3: req -newkey (PKCS#8), rsa -traditional (PKCS#1), ecparam -genkey
    // (SEC1 after EC PARAMETERS).
    assertParsed(CertificateValidator.parse(fixture("rsa.crt"), fixture("rsa.p1")));
    assertParsed(CertificateValidator.parse(fixture("rsa.crt"), fixture("rsa.p8")));
    assertParsed(CertificateValidator.parse(fixture("ec.crt"), fixture("ec.sec1")));
    Result old = CertificateValidator.parse(fixture("old.crt"), fixture("old.key"));
    assertParsed(old);
    assertThat(((Parsed) old).validAt(NOW))
        .isEqualTo("the certificate expired at 2021-01-01T00:00:00Z");
  }

  private static byte[] fixture(String name) throws Exception {
    return java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/test/resources/tls", name));
  }

  private static void assertParsed(Result result) {
    assertThat(result).isInstanceOf(Parsed.class);
  }

  private static void assertInvalid(Result result, String message) {
    assertThat(result).isInstanceOf(Invalid.class);
    assertThat(((Invalid) result).message()).contains(message);
  }
}
