package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.tls.TlsPolicy;
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
 * @param tlsPolicy how TLS connections for it are handshaken; a request on a connection handshaken
 *     under another policy is misdirected (421)
 */
public record VirtualHost(
    String name,
    List<String> domains,
    List<Route> routes,
    boolean httpsRedirect,
    String hsts,
    TlsPolicy tlsPolicy) {

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
    requireNonNull(tlsPolicy, "tlsPolicy");
  }

  /** A host without TLS settings. */
  VirtualHost(String name, List<String> domains, List<Route> routes) {
    this(name, domains, routes, false, "", TlsPolicy.DEFAULT);
  }

  /**
   * Returns whether a cleartext request for {@code path} is answered with a redirect to HTTPS
   * rather than routed.
   */
  public boolean redirectsToHttps(String path) {
    return httpsRedirect && !path.startsWith(ACME_CHALLENGES);
  }

  /**
   * Returns whether a cleartext request for {@code path} is answered 421 because this host requires
   * client certificates: unless the host redirects to HTTPS (which answers first) and the path is
   * an ACME HTTP-01 challenge, which is routed as usual.
   */
  public boolean refusesCleartext(String path) {
    return tlsPolicy.requiresClientCertificate()
        && !(httpsRedirect && path.startsWith(ACME_CHALLENGES));
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
