package dev.gantry.dataplane.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the virtual host for a request's host: an exact domain first, then the longest wildcard
 * suffix ({@code *.example.com} matches one or more labels before {@code .example.com}), then
 * {@code *}.
 *
 * <p>Built once, in the constructor; lookups only read and are safe from any thread.
 */
final class HostIndex {

  private final Map<String, VirtualHost> exact = new HashMap<>();

  /**
   * Keyed by the suffix with its leading dot: {@code *.example.com} is stored as {@code
   * .example.com}.
   */
  private final Map<String, VirtualHost> wildcard = new HashMap<>();

  private final VirtualHost fallback;
  private final HostTable exactTable;
  private final HostTable wildcardTable;
  private final boolean wildcardEmpty;

  /**
   * Indexes every domain of {@code hosts}; rejects a domain claimed twice or a misplaced {@code *}.
   */
  HostIndex(List<VirtualHost> hosts) {
    VirtualHost any = null;
    for (VirtualHost host : hosts) {
      for (String raw : host.domains()) {
        String domain = raw.toLowerCase(Locale.ROOT);
        VirtualHost previous;
        if (domain.equals("*")) {
          previous = any;
          any = host;
        } else if (domain.startsWith("*.") && domain.length() > 2 && domain.indexOf('*', 1) < 0) {
          previous = wildcard.put(domain.substring(1), host);
        } else if (!domain.isEmpty() && domain.indexOf('*') < 0) {
          previous = exact.put(domain, host);
        } else {
          throw new IllegalArgumentException(
              "domain: \""
                  + raw
                  + "\" of virtual host "
                  + host.name()
                  + " (expected: a host name, *.suffix or *)");
        }
        if (previous != null) {
          throw new IllegalArgumentException(
              "domain: \""
                  + raw
                  + "\" is claimed by virtual hosts "
                  + previous.name()
                  + " and "
                  + host.name()
                  + " (expected: each domain once)");
        }
      }
    }
    this.fallback = any;
    this.exactTable = new HostTable(exact);
    this.wildcardTable = new HostTable(wildcard);
    this.wildcardEmpty = wildcard.isEmpty();
  }

  /**
   * Returns the virtual host for {@code host} (already {@linkplain #normalize normalised}), or
   * {@code null}.
   */
  VirtualHost find(String host) {
    return find(host, 0, host.length());
  }

  /**
   * Returns the virtual host for the host in a Host header or authority: port and trailing dot
   * ignored, ASCII case ignored. Allocates nothing.
   */
  VirtualHost findByAuthority(String authority) {
    if (authority == null) {
      return find("", 0, 0);
    }
    return find(authority, 0, hostEnd(authority));
  }

  private VirtualHost find(String s, int from, int to) {
    VirtualHost found = exactTable.get(s, from, to);
    if (found != null) {
      return found;
    }
    if (!wildcardEmpty) {
      // Left to right: the first dot gives the longest suffix, so the first hit is the longest
      // wildcard.
      for (int dot = s.indexOf('.', from); dot > from && dot < to; dot = s.indexOf('.', dot + 1)) {
        found = wildcardTable.get(s, dot, to);
        if (found != null) {
          return found;
        }
      }
    }
    return fallback;
  }

  /** Returns where the host part of an authority ends: before the port and a trailing dot. */
  private static int hostEnd(String authority) {
    int end = authority.length();
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      end = close < 0 ? end : close + 1;
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0 && authority.indexOf(':') == colon) {
        end = colon;
      }
    }
    if (end > 0 && authority.charAt(end - 1) == '.') {
      end--;
    }
    return end;
  }

  /**
   * Returns the host part of a Host header or authority: port removed ({@code [::1]:80} keeps its
   * brackets), trailing dot removed, lower case. Returns {@code ""} for {@code null}. Allocates
   * only when it must change the value.
   */
  static String normalize(String authority) {
    if (authority == null) {
      return "";
    }
    int end = hostEnd(authority);
    String host = end == authority.length() ? authority : authority.substring(0, end);
    return host.toLowerCase(Locale.ROOT);
  }
}
