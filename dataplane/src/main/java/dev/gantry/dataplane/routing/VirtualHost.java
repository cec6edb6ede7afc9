package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The routes served for a set of domains. Immutable; safe from any thread.
 *
 * @param name unique name within a snapshot
 * @param domains lower-case domains: exact, {@code *.suffix} or {@code *}
 * @param routes evaluated in order; the first match wins
 */
record VirtualHost(String name, List<String> domains, List<Route> routes) {

  VirtualHost {
    requireNonNull(name, "name");
    domains = List.copyOf(requireNonNull(domains, "domains"));
    routes = List.copyOf(requireNonNull(routes, "routes"));
  }

  /** Returns the first route whose path match holds, or {@code null}. Allocates nothing. */
  Route match(String path) {
    for (int i = 0, n = routes.size(); i < n; i++) {
      Route route = routes.get(i);
      if (route.match().matches(path)) {
        return route;
      }
    }
    return null;
  }
}
