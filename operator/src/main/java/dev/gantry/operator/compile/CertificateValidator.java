package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Checks the PEM certificate chain and private key of a {@code kubernetes.io/tls} Secret: the chain
 * parses (leaf first), the key parses (PKCS#1 {@code RSA PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}
 * or PKCS#8 {@code PRIVATE KEY}; RSA or ECDSA; not encrypted) and belongs to the leaf. Only the
 * leaf's validity period is checked ({@link Parsed#validAt}): chains may carry an expired
 * cross-signed root on purpose. Pure, apart from the JDK's crypto providers.
 */
final class CertificateValidator {
  private static final byte[] PROBE = "gantry key match".getBytes(StandardCharsets.US_ASCII);

  private CertificateValidator() {}

  /** A chain and key that parse and match, or the problem with them. */
  sealed interface Result permits Parsed, Invalid {}

  /** What passed: the leaf and its DNS names (lower case). */
  record Parsed(X509Certificate leaf, List<String> dnsNames) implements Result {
    Parsed {
      requireNonNull(leaf, "leaf");
      dnsNames = List.copyOf(requireNonNull(dnsNames, "dnsNames"));
    }

    /**
     * Returns when the leaf's validity next changes after {@code now}: its start, or the first
     * instant past its end; empty once it has expired.
     */
    Optional<Instant> nextChangeAfter(Instant now) {
      Instant notBefore = leaf.getNotBefore().toInstant();
      if (now.isBefore(notBefore)) {
        return Optional.of(notBefore);
      }
      // X.509 validity includes notAfter itself (RFC 5280 4.1.2.5)
      Instant expired = leaf.getNotAfter().toInstant().plusSeconds(1);
      return now.isBefore(expired) ? Optional.of(expired) : Optional.empty();
    }

    /** Returns why the leaf is not valid at {@code now}, or null if it is. */
    String validAt(Instant now) {
      try {
        leaf.checkValidity(Date.from(now));
        return null;
      } catch (CertificateExpiredException e) {
        return "the certificate expired at " + leaf.getNotAfter().toInstant();
      } catch (CertificateNotYetValidException e) {
        return "the certificate is not valid before " + leaf.getNotBefore().toInstant();
      }
    }
  }

  /** Why a chain or key is unusable, as a sentence. */
  record Invalid(String message) implements Result {
    Invalid {
      requireNonNull(message, "message");
    }
  }

  /** Parses and matches {@code chain} (tls.crt) and {@code key} (tls.key). */
  static Result parse(byte[] chain, byte[] key) {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser pem = parser(chain)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (!(o instanceof X509CertificateHolder holder)) {
          return new Invalid(
              "tls.crt holds a " + kindOf(o) + " (expected: CERTIFICATE blocks only)");
        }
        certificates.add(converter.getCertificate(holder));
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return new Invalid("tls.crt is not a PEM certificate chain: " + messageOf(e));
    }
    if (certificates.isEmpty()) {
      return new Invalid("tls.crt holds no PEM certificate");
    }
    KeyRead read;
    try {
      read = readKey(key);
    } catch (IOException | RuntimeException e) {
      return new Invalid("tls.key is not a PEM private key: " + messageOf(e));
    }
    if (read.problem() != null) {
      return new Invalid(read.problem());
    }
    PrivateKey privateKey = read.key();
    X509Certificate leaf = certificates.getFirst();
    String algorithm = privateKey.getAlgorithm();
    if (!algorithm.equals("RSA") && !algorithm.equals("EC")) {
      return new Invalid("tls.key is a " + algorithm + " key (expected: RSA or EC)");
    }
    if (!matches(privateKey, leaf.getPublicKey())) {
      return new Invalid(
          "tls.key does not belong to the first certificate of tls.crt (its subject: "
              + leaf.getSubjectX500Principal().getName()
              + ")");
    }
    try {
      return new Parsed(leaf, dnsNames(leaf));
    } catch (CertificateParsingException e) {
      return new Invalid("the certificate's subjectAltName does not parse: " + messageOf(e));
    }
  }

  /**
   * Returns why {@code bundle} (ca.crt) is not a PEM bundle of CA certificates, or null when it is
   * one.
   */
  static String caProblem(byte[] bundle) {
    int count = 0;
    try (PEMParser pem = parser(bundle)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (!(o instanceof X509CertificateHolder)) {
          return "ca.crt holds a " + kindOf(o) + " (expected: CERTIFICATE blocks only)";
        }
        count++;
      }
    } catch (IOException | RuntimeException e) {
      return "ca.crt is not a PEM certificate bundle: " + messageOf(e);
    }
    return count == 0 ? "ca.crt holds no PEM certificate" : null;
  }

  /** A private key, or why there is none. */
  private record KeyRead(PrivateKey key, String problem) {}

  private static KeyRead readKey(byte[] key) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey found = null;
    try (PEMParser pem = parser(key)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof ASN1ObjectIdentifier) {
          continue; // openssl ecparam writes the curve in an EC PARAMETERS block before the key
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          return problem("tls.key is encrypted (expected: an unencrypted key)");
        }
        PrivateKey next =
            switch (o) {
              // PKCS#1, SEC1; a SEC1 key may leave its public key out, so only the private part is
              // read
              case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
              case PrivateKeyInfo info -> converter.getPrivateKey(info); // PKCS#8
              default -> null;
            };
        if (next == null) {
          return problem(
              "tls.key holds a "
                  + kindOf(o)
                  + " (expected: RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)");
        }
        if (found != null) {
          return problem("tls.key holds more than one private key (expected: one)");
        }
        found = next;
      }
    }
    return found == null ? problem("tls.key holds no PEM private key") : new KeyRead(found, null);
  }

  private static KeyRead problem(String message) {
    return new KeyRead(null, message);
  }

  /** Signs with the private key and verifies with the certificate's: true if they are a pair. */
  private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // e.g. keys on different curves
    }
  }

  private static List<String> dnsNames(X509Certificate leaf) throws CertificateParsingException {
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    if (sans == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (List<?> san : sans) {
      // GeneralName dNSName is type 2
      if (san.size() == 2
          && Integer.valueOf(2).equals(san.get(0))
          && san.get(1) instanceof String s) {
        names.add(s.toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  private static PEMParser parser(byte[] pem) {
    return new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)));
  }

  private static String kindOf(Object o) {
    return switch (o) {
      case X509CertificateHolder c -> "CERTIFICATE";
      case PEMKeyPair p -> "private key";
      case PrivateKeyInfo p -> "private key";
      default -> o.getClass().getSimpleName();
    };
  }

  private static String messageOf(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
