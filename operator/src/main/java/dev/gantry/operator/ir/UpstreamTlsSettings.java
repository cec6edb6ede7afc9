package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the dataplane checks a TLS backend: the name it sends as SNI and expects in the endpoint's
 * certificate, the CAs that certificate must lead to, or no check at all when insecure; and the
 * certificate it presents itself, if any.
 *
 * @param serverName SNI and the name the certificate must carry
 * @param insecureSkipVerify accept any certificate
 * @param caBundle PEM CA certificates to trust; empty for the JVM's
 * @param clientCertificate the {@code namespace/secret} name of the certificate the dataplane
 *     presents, shipped in the snapshot; empty for none
 */
public record UpstreamTlsSettings(
    String serverName, boolean insecureSkipVerify, String caBundle, String clientCertificate) {

  public UpstreamTlsSettings {
    requireNonNull(serverName, "serverName");
    requireNonNull(caBundle, "caBundle");
    requireNonNull(clientCertificate, "clientCertificate");
    if (serverName.isEmpty()) {
      throw new IllegalArgumentException("serverName: empty (expected: a DNS name)");
    }
  }

  /** Settings trusting the JVM's CAs, presenting no certificate. */
  public UpstreamTlsSettings(String serverName, boolean insecureSkipVerify) {
    this(serverName, insecureSkipVerify, "", "");
  }

  /** Returns the default for a Service: its cluster-local name, {@code service.namespace.svc}. */
  public static UpstreamTlsSettings defaultFor(String namespace, String service) {
    return new UpstreamTlsSettings(service + "." + namespace + ".svc", false);
  }

  /** Returns a short digest naming these settings in a cluster name: {@code 1a2b3c4d5e}. */
  public String key() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
