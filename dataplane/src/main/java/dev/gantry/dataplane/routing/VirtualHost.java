package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.tls.TlsPolicy;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * The routes served for a set of domains. Immutable; safe from any thread.
 *
 * @param name unique name within a snapshot
 * @param domains lower-case domains: exact, {@code *.suffix} or {@code *}
 * @param routes evaluated in order; the first match wins
 * @param tlsPolicy how TLS connections for it are handshaken; a request on a connection handshaken
 *     under another policy is misdirected
 * @param httpsRedirect whether its cleartext requests are redirected to https
 */
record VirtualHost(
    String name,
    List<String> domains,
    List<Route> routes,
    TlsPolicy tlsPolicy,
    boolean httpsRedirect) {

  VirtualHost {
    requireNonNull(name, "name");
    requireNonNull(tlsPolicy, "tlsPolicy");
    domains = List.copyOf(requireNonNull(domains, "domains"));
    routes = List.copyOf(requireNonNull(routes, "routes"));
  }

  /**
   * Returns the first route whose match holds, or {@code null}. Allocates nothing unless a route
   * evaluates a regular expression or a query parameter.
   */
  Route match(String path, HttpMethod method, HttpHeaders headers, String target) {
    for (int i = 0, n = routes.size(); i < n; i++) {
      Route route = routes.get(i);
      if (route.match().matches(path, method, headers, target)) {
        return route;
      }
    }
    return null;
  }
}
