package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One host name ("demo.example.com", "*.example.com" or "*"): its routes in match order, and how
 * TLS is served for it. Terminated: the name of the {@link TlsCertificate}, the handshake policy
 * (absent: the defaults), whether plain HTTP is redirected and the HSTS header. Passed through:
 * only {@code tcpProxy}, with no routes and nothing else.
 */
public record VirtualHost(
    String host,
    List<Route> routes,
    Optional<String> certificate,
    Optional<TlsPolicy> tlsPolicy,
    boolean httpsRedirect,
    Optional<Hsts> hsts,
    Optional<TcpProxy> tcpProxy) {
  public VirtualHost {
    requireNonNull(host, "host");
    routes = List.copyOf(requireNonNull(routes, "routes"));
    requireNonNull(certificate, "certificate");
    requireNonNull(tlsPolicy, "tlsPolicy");
    requireNonNull(hsts, "hsts");
    requireNonNull(tcpProxy, "tcpProxy");
    if (certificate.isEmpty() && (tlsPolicy.isPresent() || httpsRedirect || hsts.isPresent())) {
      throw new IllegalArgumentException(
          "host " + host + ": a TLS policy, HTTPS redirect or HSTS needs a certificate");
    }
    if (tcpProxy.isPresent() && (!routes.isEmpty() || certificate.isPresent())) {
      throw new IllegalArgumentException(
          "host " + host + ": passed through (tcpProxy) with routes or a certificate");
    }
  }

  /** A host served over plain HTTP only. */
  public VirtualHost(String host, List<Route> routes) {
    this(host, routes, Optional.empty());
  }

  /** A host served with {@code certificate}, if any, under the default policy and no redirect. */
  public VirtualHost(String host, List<Route> routes, Optional<String> certificate) {
    this(host, routes, certificate, Optional.empty(), false, Optional.empty(), Optional.empty());
  }
}
