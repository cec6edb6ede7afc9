package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import dev.gantry.protocol.v1.VirtualHost;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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

  private final Map<String, Selection> exact = new HashMap<>();

  /**
   * Keyed by the suffix with its leading dot: {@code *.example.com} is kept as {@code
   * .example.com}.
   */
  private final Map<String, Selection> wildcard = new HashMap<>();

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
    for (VirtualHost host : hosts) {
      if (host.getCertificate().isEmpty()) {
        continue;
      }
      Selection selection = contexts.of(host);
      if (selection == null) {
        continue; // a certificate that is missing or did not load (already logged)
      }
      for (String raw : host.getDomainsList()) {
        String domain = raw.toLowerCase(Locale.ROOT);
        if (domain.startsWith("*.")) {
          wildcard.put(domain.substring(1), selection);
        } else if (!domain.equals("*")) {
          exact.put(domain, selection);
        }
      }
    }
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
    if (serverName == null || serverName.isEmpty()) {
      return fallback;
    }
    String name = serverName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    Selection found = exact.get(name);
    if (found != null) {
      return found;
    }
    int dot = name.indexOf('.');
    if (dot > 0) {
      found = wildcard.get(name.substring(dot));
      if (found != null) {
        return found;
      }
    }
    return fallback;
  }
}
