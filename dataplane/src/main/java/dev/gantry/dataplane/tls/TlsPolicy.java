package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.gantry.protocol.v1.TlsVersion;
import dev.gantry.protocol.v1.VirtualHost;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How handshakes for a virtual host's names are made, as a value: two hosts with equal policies may
 * share a connection (HTTP/2 coalescing, or SNI naming one and Host the other), hosts with
 * different ones may not (the request is answered 421). Immutable; safe from any thread.
 *
 * @param tls13Only whether TLS 1.2 is refused
 * @param cipherSuites the TLS 1.2 suites offered, by IANA name, in order of preference; empty for
 *     the defaults (the suites HTTP/2 allows)
 * @param clientValidation how client certificates are asked for; {@code null} when they are not
 */
public record TlsPolicy(
    boolean tls13Only, List<String> cipherSuites, ClientValidation clientValidation) {

  /** The policy of a host without one: TLS 1.2 and 1.3, default suites, no client certificates. */
  public static final TlsPolicy DEFAULT = new TlsPolicy(false, List.of(), null);

  public TlsPolicy {
    cipherSuites = List.copyOf(requireNonNull(cipherSuites, "cipherSuites"));
  }

  /**
   * Returns the policy handshakes for {@code host} are made under: {@link #DEFAULT} (the same
   * instance) for a host without a certificate, without a policy, or whose policy says what the
   * defaults say.
   */
  public static TlsPolicy of(VirtualHost host) {
    if (host.getCertificate().isEmpty() || !host.hasTlsPolicy()) {
      return DEFAULT;
    }
    dev.gantry.protocol.v1.TlsPolicy policy = host.getTlsPolicy();
    ClientValidation validation = null;
    if (policy.hasClientValidation()) {
      dev.gantry.protocol.v1.ClientValidation wire = policy.getClientValidation();
      validation =
          new ClientValidation(
              wire.getCaBundle(), wire.getOptional(), wire.getForwardCertificate());
    }
    TlsPolicy built =
        new TlsPolicy(
            policy.getMinVersion() == TlsVersion.TLS_VERSION_1_3,
            policy.getCipherSuitesList(),
            validation);
    if (built.equals(DEFAULT)) {
      return DEFAULT;
    }
    if (CANONICAL.size() >= MAX_CANONICAL) {
      CANONICAL.clear(); // only a cache: sameAs still compares by value
    }
    return CANONICAL.computeIfAbsent(built, p -> p);
  }

  /**
   * One instance per policy value, whichever snapshot and component (certificates, routing) built
   * it: {@link #sameAs}, asked per request, then compares identities instead of CA bundles.
   */
  private static final Map<TlsPolicy, TlsPolicy> CANONICAL = new ConcurrentHashMap<>();

  private static final int MAX_CANONICAL = 1024;

  /**
   * Returns whether a request under this policy may be served on a connection handshaken under
   * {@code other}. Cheap for the usual cases: the same instance, or default against default.
   */
  public boolean sameAs(TlsPolicy other) {
    return this == other || equals(other);
  }

  /** Returns whether a handshake without a client certificate fails. */
  public boolean requiresClientCertificate() {
    return clientValidation != null && !clientValidation.optional();
  }

  @Override
  public String toString() {
    return "TlsPolicy[min="
        + (tls13Only ? "TLSv1.3" : "TLSv1.2")
        + ", cipherSuites="
        + cipherSuites
        + ", clientValidation="
        + clientValidation
        + "]";
  }

  /**
   * Client certificates (mutual TLS).
   *
   * @param caBundle the PEM CA certificates a client certificate must chain to
   * @param optional whether a client may send none
   * @param forwardCertificate whether X-Forwarded-Client-Cert carries the leaf's PEM
   */
  public record ClientValidation(
      ByteString caBundle, boolean optional, boolean forwardCertificate) {

    public ClientValidation {
      requireNonNull(caBundle, "caBundle");
    }

    @Override
    public String toString() {
      return "ClientValidation[caBundle="
          + caBundle.size()
          + " bytes, optional="
          + optional
          + ", forwardCertificate="
          + forwardCertificate
          + "]";
    }
  }
}
