package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A private key and the certificate chain it belongs to, read from the PEM bytes of a {@code
 * kubernetes.io/tls} Secret.
 *
 * @param key the private key
 * @param chain the certificates, leaf first; never empty
 */
record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

  KeyMaterial {
    requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: empty (expected: at least the leaf certificate)");
    }
  }

  /**
   * Reads the chain ({@code CERTIFICATE} blocks, leaf first) and the private key (PKCS#1 {@code RSA
   * PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY} or PKCS#8 {@code PRIVATE KEY}, unencrypted), and
   * checks that the key is the leaf's.
   *
   * @throws InvalidCertificateException saying what is wrong, in words fit for a log line
   */
  static KeyMaterial parse(byte[] certificateChain, byte[] privateKey) {
    KeyMaterial material = new KeyMaterial(readKey(privateKey), readChain(certificateChain));
    material.checkKeyMatchesLeaf();
    return material;
  }

  /** Returns the certificate served to clients. */
  X509Certificate leaf() {
    return chain.getFirst();
  }

  private static List<X509Certificate> readChain(byte[] pem) {
    Collection<? extends Certificate> certificates;
    try {
      certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
    } catch (GeneralSecurityException e) {
      throw new InvalidCertificateException("tls.crt: not a PEM certificate chain: " + e, e);
    }
    if (certificates.isEmpty()) {
      throw new InvalidCertificateException("tls.crt: no certificate (expected: a PEM chain)");
    }
    return certificates.stream().map(X509Certificate.class::cast).toList();
  }

  private static PrivateKey readKey(byte[] pem) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser =
        new PEMParser(
            new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
      // `openssl ecparam -genkey` writes an EC PARAMETERS block before the key: skip such blocks.
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        switch (block) {
          case PEMKeyPair pair -> {
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
          }
          case PrivateKeyInfo info -> {
            return converter.getPrivateKey(info);
          }
          default -> {}
        }
      }
    } catch (IOException e) {
      throw new InvalidCertificateException("tls.key: not a readable PEM private key: " + e, e);
    }
    throw new InvalidCertificateException(
        "tls.key: no private key (expected: an unencrypted RSA PRIVATE KEY, EC PRIVATE KEY or"
            + " PRIVATE KEY block)");
  }

  /** Signs a random challenge with the key and verifies it with the leaf's public key. */
  private void checkKeyMatchesLeaf() {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default ->
              throw new InvalidCertificateException(
                  "tls.key: "
                      + key.getAlgorithm()
                      + " key (expected: an RSA, ECDSA or Ed25519 key)");
        };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf().getPublicKey());
      verifier.update(challenge);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) { // e.g. an RSA key against an ECDSA certificate
      matches = false;
    }
    if (!matches) {
      throw new InvalidCertificateException(
          "tls.key does not belong to the certificate "
              + leaf().getSubjectX500Principal().getName()
              + " (expected: the leaf certificate's private key)");
    }
  }
}
