package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * How handshakes for a host are made: the lowest version, the TLS 1.2 cipher suites by IANA name in
 * order of preference (empty: the defaults), and client certificates if the host asks for them.
 */
public record TlsPolicy(
    TlsVersion minVersion, List<String> cipherSuites, Optional<ClientValidation> clientValidation) {
  public static final TlsPolicy DEFAULT =
      new TlsPolicy(TlsVersion.TLS_1_2, List.of(), Optional.empty());

  public TlsPolicy {
    requireNonNull(minVersion, "minVersion");
    cipherSuites = List.copyOf(requireNonNull(cipherSuites, "cipherSuites"));
    requireNonNull(clientValidation, "clientValidation");
  }

  /** The lowest TLS version a host accepts. */
  public enum TlsVersion {
    TLS_1_2,
    TLS_1_3
  }

  /**
   * Client certificates: {@code caBundle} PEM CA certificates they must chain to; {@code optional}
   * lets a client send none; {@code forwardCertificate} adds the leaf to X-Forwarded-Client-Cert.
   */
  public record ClientValidation(String caBundle, boolean optional, boolean forwardCertificate) {
    public ClientValidation {
      requireNonNull(caBundle, "caBundle");
      if (caBundle.isEmpty()) {
        throw new IllegalArgumentException("caBundle: empty (expected: PEM CA certificates)");
      }
    }

    @Override
    public String toString() {
      return "ClientValidation[" + caBundle.length() + " CA bytes, optional=" + optional + "]";
    }
  }
}
