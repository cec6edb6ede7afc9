package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Finds what a TLS server name (SNI) selects, the way certificates are picked: the exact name, else
 * the wildcard domain one label up ({@code *.example.com} for {@code a.example.com}, not for {@code
 * example.com} nor {@code a.b.example.com}: RFC 6125 §6.4.3). A {@code *} domain (every name) is
 * ignored: no certificate is valid for it. Shared by the certificate table and the passthrough
 * table, so that both read a name alike.
 *
 * <p>Built once, in the constructor; lookups only read and are safe from any thread.
 *
 * @param <T> what a name selects
 */
public final class ServerNameIndex<T> {

  private final Map<String, T> exact = new HashMap<>();

  /**
   * Keyed by the suffix with its leading dot: {@code *.example.com} is kept as {@code
   * .example.com}.
   */
  private final Map<String, T> wildcard = new HashMap<>();

  /**
   * @param domains by domain ({@code a.example.com} or {@code *.example.com}, any case); later
   *     insertion order does not matter: each domain appears once
   */
  public ServerNameIndex(Map<String, T> domains) {
    requireNonNull(domains, "domains");
    domains.forEach(
        (raw, value) -> {
          String domain = raw.toLowerCase(Locale.ROOT);
          if (domain.startsWith("*.")) {
            wildcard.put(domain.substring(1), requireNonNull(value, raw));
          } else if (!domain.equals("*") && !domain.isEmpty()) {
            exact.put(domain, requireNonNull(value, raw));
          }
        });
  }

  /**
   * Returns what {@code serverName} selects (case and a trailing dot ignored), or {@code null} for
   * nothing or no name.
   */
  public T find(String serverName) {
    if (serverName == null || serverName.isEmpty()) {
      return null;
    }
    String name = serverName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    T found = exact.get(name);
    if (found != null) {
      return found;
    }
    int dot = name.indexOf('.');
    return dot > 0 ? wildcard.get(name.substring(dot)) : null;
  }
}
