package dev.gantry.operator.compile;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Certificates and keys made on the spot, PEM-encoded as a kubernetes.io/tls Secret holds them. */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private TestCertificates() {}

  /** A key pair and the certificate issued for it. */
  public record Issued(KeyPair keys, java.security.cert.X509Certificate certificate) {
    public byte[] certificatePem() {
      return pem(certificate);
    }

    /**
     * PKCS#1 ({@code RSA PRIVATE KEY}) for RSA; SEC1 ({@code EC PRIVATE KEY}) for EC, with the
     * curve and the public key in it, as openssl writes it.
     */
    public byte[] traditionalKeyPem() {
      if (!(keys.getPrivate() instanceof ECPrivateKey ec)) {
        return pem(keys.getPrivate());
      }
      try {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
        SubjectPublicKeyInfo publicKey =
            SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        var sec1 =
            new org.bouncycastle.asn1.sec.ECPrivateKey(
                ec.getParams().getOrder().bitLength(),
                ec.getS(),
                publicKey.getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** PKCS#8 ({@code PRIVATE KEY}). */
    public byte[] pkcs8KeyPem() {
      try {
        return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** PKCS#8, encrypted with a passphrase ({@code ENCRYPTED PRIVATE KEY}). */
    public byte[] encryptedKeyPem() {
      try {
        return pem(
            new JcaPKCS8Generator(
                    keys.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(
                            PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                        .setPassword("secret".toCharArray())
                        .build())
                .generate());
      } catch (IOException | OperatorCreationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed certificate for {@code dnsNames}, valid from a year ago for a century. */
  public static Issued selfSigned(KeyPair keys, String... dnsNames) {
    Instant now = Instant.now();
    return issue(
        keys,
        keys,
        "CN=" + first(dnsNames),
        "CN=" + first(dnsNames),
        now.minusSeconds(365L * 86400),
        now.plusSeconds(100L * 365 * 86400),
        dnsNames);
  }

  /** A certificate signed by {@code issuer}'s key (named {@code issuerName}). */
  public static Issued issue(
      KeyPair keys,
      KeyPair issuer,
      String subject,
      String issuerName,
      Instant notBefore,
      Instant notAfter,
      String... dnsNames) {
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              new X500Principal(issuerName),
              BigInteger.valueOf(SERIAL.getAndIncrement()),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Principal(subject),
              keys.getPublic());
      if (dnsNames.length > 0) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                Arrays.stream(dnsNames)
                    .map(n -> new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new)));
      }
      PrivateKey signer = issuer.getPrivate();
      String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new Issued(
          keys,
          new JcaX509CertificateConverter()
              .getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(signer))));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  public static byte[] concat(byte[]... parts) {
    StringBuilder b = new StringBuilder();
    for (byte[] p : parts) {
      b.append(new String(p, StandardCharsets.US_ASCII));
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String first(String... names) {
    return names.length == 0 ? "no-san" : names[0].replace("*", "wildcard");
  }
}
