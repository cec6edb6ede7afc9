package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import dev.gantry.protocol.v1.VirtualHost;
import io.netty.handler.ssl.SslContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which certificate serves a TLS server name, for one snapshot: the certificate of the virtual host
 * whose domain is the exact name, else of the wildcard domain one label up ({@code *.example.com}
 * for {@code a.example.com}, not for {@code example.com} nor {@code a.b.example.com}: the names a
 * wildcard certificate is valid for, RFC 6125 §6.4.3, and the ones the operator checked it
 * against), else the default certificate, else none (the handshake fails). Hosts without a
 * certificate, or whose certificate is missing or invalid, are left out, so their names fall
 * through; a {@code *} host (every name) never has one.
 *
 * <p>Built once per snapshot, in the constructor; lookups only read and are safe from any thread.
 */
final class CertificateTable {

  private static final CertificateTable EMPTY = new CertificateTable(List.of(), Map.of(), null);

  private final ServerNameIndex<SslContext> names;

  private final SslContext fallback;

  /**
   * @param hosts the snapshot's virtual hosts; those with an empty certificate have no TLS
   * @param contexts the servable certificates by name
   * @param fallback the default certificate, or {@code null} for none
   */
  CertificateTable(List<VirtualHost> hosts, Map<String, SslContext> contexts, SslContext fallback) {
    requireNonNull(contexts, "contexts");
    Map<String, SslContext> domains = new HashMap<>();
    for (VirtualHost host : hosts) {
      SslContext context = contexts.get(host.getCertificate());
      if (context == null) {
        continue; // no TLS, or a certificate that did not load (already logged)
      }
      host.getDomainsList().forEach(domain -> domains.put(domain, context));
    }
    this.names = new ServerNameIndex<>(domains);
    this.fallback = fallback;
  }

  /** Returns a table that serves no certificate. */
  static CertificateTable empty() {
    return EMPTY;
  }

  /**
   * Returns the context for a ClientHello naming {@code serverName} ({@code null} without SNI), or
   * {@code null} when no certificate serves it.
   */
  SslContext select(String serverName) {
    SslContext found = names.find(serverName);
    if (found != null) {
      return found;
    }
    return fallback;
  }
}
