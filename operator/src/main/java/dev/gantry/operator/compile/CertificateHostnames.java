package dev.gantry.operator.compile;

import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate's DNS names cover a hostname, as RFC 6125 (section 6.4) has clients check
 * it: an exact name, or a wildcard {@code *.example.com} standing for exactly one leftmost label
 * (so it covers {@code a.example.com} but neither {@code example.com} nor {@code a.b.example.com}).
 * Partial-label wildcards ({@code w*.example.com}) cover nothing, as browsers treat them. A route
 * hostname that is itself a wildcard is covered only by the same wildcard.
 */
final class CertificateHostnames {
  private CertificateHostnames() {}

  /** Returns whether one of {@code dnsNames} covers {@code host}. */
  static boolean covers(List<String> dnsNames, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String name : dnsNames) {
      if (covers(name.toLowerCase(Locale.ROOT), h)) {
        return true;
      }
    }
    return false;
  }

  private static boolean covers(String name, String host) {
    if (name.equals(host)) {
      return true;
    }
    if (!name.startsWith("*.") || host.startsWith("*.")) {
      return false;
    }
    String suffix = name.substring(1); // ".example.com"
    if (suffix.indexOf('*') >= 0 || suffix.chars().filter(c -> c == '.').count() < 2) {
      return false; // "*.com" covers nothing, as clients refuse wildcards on a public suffix
    }
    int dot = host.indexOf('.');
    return dot > 0 && host.substring(dot).equals(suffix);
  }
}
