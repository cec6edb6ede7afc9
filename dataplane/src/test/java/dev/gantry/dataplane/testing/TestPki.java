package dev.gantry.dataplane.testing;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for tests: issues EC P-256 leaf certificates for DNS names,
 * valid from an hour ago for a day, as PEM.
 */
public final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestPki(String commonName) {
    this.name = new X500Name("CN=" + commonName);
    this.keys = newKeys();
    this.certificate = sign(name, keys, name, keys, true, new String[0], new String[0]);
  }

  /**
   * A certificate and its key, as a {@code kubernetes.io/tls} Secret holds them ({@code chainPem},
   * {@code keyPem}) and as a JDK key manager takes them.
   */
  public record Issued(
      String chainPem, String keyPem, X509Certificate certificate, PrivateKey key) {}

  /** Returns a new certificate authority named {@code commonName}. */
  public static TestPki newCa(String commonName) {
    return new TestPki(commonName);
  }

  /** Returns this authority's own certificate as PEM: what a client trusts. */
  public String caPem() {
    return pem(certificate);
  }

  /** Issues a certificate for {@code dnsNames} (the first is also the common name). */
  public Issued issue(String... dnsNames) {
    return issue("CN=" + dnsNames[0], dnsNames, new String[0]);
  }

  /**
   * Issues a certificate for {@code subject} (an X.500 name, {@code CN=client,O=Example}) with the
   * given DNS and URI subject alternative names: a client certificate.
   */
  public Issued issue(String subject, String[] dnsNames, String[] uris) {
    KeyPair leaf = newKeys();
    X509Certificate cert = sign(new X500Name(subject), leaf, name, keys, false, dnsNames, uris);
    return new Issued(pem(cert), pem(leaf.getPrivate()), cert, leaf.getPrivate());
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      X500Name subject,
      KeyPair subjectKeys,
      X500Name issuer,
      KeyPair issuerKeys,
      boolean ca,
      String[] dnsNames,
      String[] uris) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              subject,
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        GeneralName[] names = new GeneralName[dnsNames.length + uris.length];
        for (int i = 0; i < dnsNames.length; i++) {
          names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        for (int i = 0; i < uris.length; i++) {
          names[dnsNames.length + i] =
              new GeneralName(GeneralName.uniformResourceIdentifier, uris[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(
          object instanceof java.security.PrivateKey key
              ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null)
              : object);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
