package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The routes served for one host name ("demo.example.com", "*.example.com" or "*"), in match order.
 */
public record VirtualHost(String host, List<Route> routes) {
  public VirtualHost {
    requireNonNull(host, "host");
    routes = List.copyOf(requireNonNull(routes, "routes"));
  }
}
