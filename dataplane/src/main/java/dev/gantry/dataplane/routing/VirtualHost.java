package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The routes served for a set of domains, and what holds for all of them. Immutable; safe from any
 * thread.
 *
 * @param name unique name within a snapshot
 * @param domains lower-case domains: exact, {@code *.suffix} or {@code *}
 * @param routes evaluated in order; the first match wins
 * @param httpsRedirect whether cleartext requests are redirected to HTTPS (ACME HTTP-01 challenges
 *     excepted)
 * @param hsts the Strict-Transport-Security value sent on the TLS listener, {@code ""} for none
 */
public record VirtualHost(
    String name, List<String> domains, List<Route> routes, boolean httpsRedirect, String hsts) {

  /** The header HSTS is sent in (RFC 6797 §6.1); Netty has no constant for it. */
  public static final AsciiString STRICT_TRANSPORT_SECURITY =
      AsciiString.cached("strict-transport-security");

  /** Where ACME HTTP-01 challenges are answered (RFC 8555 §8.3): never redirected to HTTPS. */
  private static final String ACME_CHALLENGES = "/.well-known/acme-challenge/";

  public VirtualHost {
    requireNonNull(name, "name");
    domains = List.copyOf(requireNonNull(domains, "domains"));
    routes = List.copyOf(requireNonNull(routes, "routes"));
    requireNonNull(hsts, "hsts");
  }

  /** A host without TLS settings. */
  VirtualHost(String name, List<String> domains, List<Route> routes) {
    this(name, domains, routes, false, "");
  }

  /**
   * Returns whether a cleartext request for {@code path} is answered with a redirect to HTTPS
   * rather than routed.
   */
  public boolean redirectsToHttps(String path) {
    return httpsRedirect && !path.startsWith(ACME_CHALLENGES);
  }

  /**
   * Returns the first route whose match holds, or {@code null}. Allocates nothing unless a route
   * evaluates a regular expression or a query parameter.
   */
  public Route match(String path, HttpMethod method, HttpHeaders headers, String target) {
    for (int i = 0, n = routes.size(); i < n; i++) {
      Route route = routes.get(i);
      if (route.match().matches(path, method, headers, target)) {
        return route;
      }
    }
    return null;
  }
}
