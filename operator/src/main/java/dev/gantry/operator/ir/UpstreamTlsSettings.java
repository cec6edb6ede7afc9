package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the dataplane checks a TLS backend: the name it sends as SNI and expects in the endpoint's
 * certificate (checked against the JVM's trusted CAs), or no check at all when insecure.
 *
 * @param serverName SNI and the name the certificate must carry
 * @param insecureSkipVerify accept any certificate
 */
public record UpstreamTlsSettings(String serverName, boolean insecureSkipVerify) {

  public UpstreamTlsSettings {
    requireNonNull(serverName, "serverName");
    if (serverName.isEmpty()) {
      throw new IllegalArgumentException("serverName: empty (expected: a DNS name)");
    }
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
