package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The routes served for one host name ("demo.example.com", "*.example.com" or "*"), in match order,
 * and the name of the {@link TlsCertificate} that serves it over TLS, if any.
 */
public record VirtualHost(String host, List<Route> routes, Optional<String> certificate) {
  public VirtualHost {
    requireNonNull(host, "host");
    routes = List.copyOf(requireNonNull(routes, "routes"));
    requireNonNull(certificate, "certificate");
  }

  /** A host served over plain HTTP only. */
  public VirtualHost(String host, List<Route> routes) {
    this(host, routes, Optional.empty());
  }
}
