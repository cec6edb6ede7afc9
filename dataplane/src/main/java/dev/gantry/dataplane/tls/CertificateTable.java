package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import dev.gantry.protocol.v1.VirtualHost;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which certificate, under which policy, serves a TLS server name, for one snapshot: that of the
 * virtual host whose domain is the exact name, else of the wildcard domain one label up ({@code
 * *.example.com} for {@code a.example.com}, not for {@code example.com} nor {@code
 * a.b.example.com}: the names a wildcard certificate is valid for, RFC 6125 §6.4.3, and the ones
 * the operator checked it against), else the default certificate, else none (the handshake fails).
 * Hosts without a certificate, or whose certificate is missing or invalid, are left out, so their
 * names fall through; a {@code *} host (every name) never has one. A host whose policy could not be
 * built is kept, as a refusal: its names never fall through to a weaker context.
 *
 * <p>Built once per snapshot, in the constructor; lookups only read and are safe from any thread.
 */
final class CertificateTable {

  private static final CertificateTable EMPTY = new CertificateTable(List.of(), key -> null, null);

  private final ServerNameIndex<Selection> names;

  private final Selection fallback;

  /** Finds what was built for a host's certificate and policy. */
  interface Contexts {
    /**
     * Returns the selection for a host's certificate under its policy, a refusal when the policy
     * could not be built, or {@code null} when the certificate is absent or did not load.
     */
    Selection of(VirtualHost host);
  }

  /**
   * @param hosts the snapshot's virtual hosts; those with an empty certificate have no TLS
   * @param contexts what was built for each host
   * @param fallback the default certificate, or {@code null} for none
   */
  CertificateTable(List<VirtualHost> hosts, Contexts contexts, Selection fallback) {
    requireNonNull(contexts, "contexts");
    Map<String, Selection> domains = new HashMap<>();
    for (VirtualHost host : hosts) {
      if (host.getCertificate().isEmpty()) {
        continue;
      }
      Selection selection = contexts.of(host);
      if (selection == null) {
        continue; // a certificate that is missing or did not load (already logged)
      }
      host.getDomainsList().forEach(domain -> domains.put(domain, selection));
    }
    this.names = new ServerNameIndex<>(domains);
    this.fallback = fallback;
  }

  /** Returns a table that serves no certificate. */
  static CertificateTable empty() {
    return EMPTY;
  }

  /**
   * Returns the selection for a ClientHello naming {@code serverName} ({@code null} without SNI),
   * or {@code null} when no certificate serves it.
   */
  Selection select(String serverName) {
    Selection found = names.find(serverName);
    if (found != null) {
      return found;
    }
    return fallback;
  }
}
