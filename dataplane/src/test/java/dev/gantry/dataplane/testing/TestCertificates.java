package dev.gantry.dataplane.testing;

import com.google.protobuf.ByteString;
import dev.gantry.protocol.v1.TlsCertificate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Self-signed certificates made on the spot with BouncyCastle, as the PEM bytes a {@code
 * kubernetes.io/tls} Secret would hold. Each call makes a new key and serial number, so two
 * certificates for the same names are told apart by {@link Issued#certificate()}.
 */
public final class TestCertificates {

  /** The private-key encodings a Secret's {@code tls.key} comes in. */
  public enum KeyFormat {
    /** {@code RSA PRIVATE KEY}. */
    RSA_PKCS1,
    /** {@code PRIVATE KEY} holding an RSA key. */
    RSA_PKCS8,
    /** {@code EC PRIVATE KEY} (P-256). */
    EC_SEC1,
    /** {@code PRIVATE KEY} holding a P-256 key. */
    EC_PKCS8
  }

  /**
   * A certificate as a snapshot carries it.
   *
   * @param name the snapshot name, {@code NAMESPACE/SECRET}
   * @param certificate the certificate itself
   * @param chainPem {@code tls.crt}
   * @param keyPem {@code tls.key}
   */
  public record Issued(String name, X509Certificate certificate, byte[] chainPem, byte[] keyPem) {

    /** Returns the snapshot message. */
    public TlsCertificate toProto() {
      return TlsCertificate.newBuilder()
          .setName(name)
          .setCertificateChain(ByteString.copyFrom(chainPem))
          .setPrivateKey(ByteString.copyFrom(keyPem))
          .build();
    }

    /**
     * Returns this certificate with another certificate's key: a Secret whose key does not match.
     */
    public Issued withKeyOf(Issued other) {
      return new Issued(name, certificate, chainPem, other.keyPem);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCertificates() {}

  /** Returns a P-256 certificate for {@code dnsNames} (the first is also the CN), SEC1 key. */
  public static Issued issue(String name, String... dnsNames) {
    return issue(name, KeyFormat.EC_SEC1, dnsNames);
  }

  /**
   * Returns a certificate for {@code dnsNames} (the first is also the CN) with its key as given.
   */
  public static Issued issue(String name, KeyFormat format, String... dnsNames) {
    try {
      boolean rsa = format == KeyFormat.RSA_PKCS1 || format == KeyFormat.RSA_PKCS8;
      KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
      if (rsa) {
        generator.initialize(2048, RANDOM);
      } else {
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      }
      KeyPair keys = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=" + dnsNames[0]);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, RANDOM),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(30))),
              subject,
              keys.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              List.of(dnsNames).stream()
                  .map(dns -> new GeneralName(GeneralName.dNSName, dns))
                  .toArray(GeneralName[]::new)));
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder(rsa ? "SHA256withRSA" : "SHA256withECDSA")
                          .build(keys.getPrivate())));
      String chain = pem(certificate);
      String key =
          switch (format) {
            case RSA_PKCS1 -> pem(keys.getPrivate()); // BouncyCastle's traditional form
            case EC_SEC1 -> pem(sec1(keys));
            case RSA_PKCS8, EC_PKCS8 -> pem(new JcaPKCS8Generator(keys.getPrivate(), null));
          };
      return new Issued(
          name,
          certificate,
          chain.getBytes(StandardCharsets.US_ASCII),
          key.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue a test certificate: " + e, e);
    }
  }

  /**
   * Returns the key as openssl writes it: SEC1 with the curve and the public key inside (the JDK's
   * encoding keeps the curve outside, which BouncyCastle would carry over into a curve-less key).
   */
  private static PemObject sec1(KeyPair keys) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey sec1 =
        new ECPrivateKey(
            256,
            inner.getKey(),
            SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
            info.getPrivateKeyAlgorithm().getParameters());
    return new PemObject("EC PRIVATE KEY", sec1.getEncoded());
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
