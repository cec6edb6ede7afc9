package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Compiles the whole observed world into one route graph. A function of the sources and of the
 * clock's instant (certificates expire): no I/O, and equal sources at an equal instant give an
 * equal result. Bad input is reported per object and never fails the compile. Compiles run one at a
 * time (parsed certificates are remembered between them).
 */
public final class RouteCompiler {
  // Oldest first, so that the oldest claim on a host and path wins deterministically.
  private static final Comparator<ProxyRoute> AGE =
      Comparator.comparing(
              (ProxyRoute r) ->
                  Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(r -> BackendIndex.namespaceOf(r.getMetadata().getNamespace()))
          .thenComparing(r -> r.getMetadata().getName());

  private final Clock clock;
  private final Optional<String> defaultCertificate;
  private final CertificateCache certificates = new CertificateCache();

  /**
   * @param clock tells whether a certificate is valid now
   * @param defaultCertificate the Secret ("namespace/name") served to clients whose SNI names no
   *     host with a certificate; shipped in every snapshot when it is valid
   */
  public RouteCompiler(Clock clock, Optional<String> defaultCertificate) {
    this.clock = requireNonNull(clock, "clock");
    this.defaultCertificate = requireNonNull(defaultCertificate, "defaultCertificate");
    defaultCertificate.ifPresent(RouteCompiler::checkSecretName);
  }

  /** A compiler on the system clock, without a default certificate. */
  public RouteCompiler() {
    this(Clock.systemUTC(), Optional.empty());
  }

  /**
   * Checks a {@code namespace/name} Secret reference, as {@code --default-certificate} takes it.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static void checkSecretName(String value) {
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "default certificate: " + value + " (expected: NAMESPACE/SECRET)");
    }
  }

  public synchronized CompileResult compile(Sources sources) {
    GraphBuilder graph = new GraphBuilder();
    BackendIndex backends = new BackendIndex(sources.services(), sources.endpointSlices());
    TlsProcessor tls =
        new TlsProcessor(new SecretIndex(sources.secrets()), certificates, clock.instant(), graph);
    RouteTlsProcessor routeTls =
        new RouteTlsProcessor(tls, new CertificateDelegations(sources.delegations()), graph);
    ProxyRouteProcessor proxyRoutes =
        new ProxyRouteProcessor(backends, tls, routeTls, graph, sources.proxyRoutes());
    List<ProxyRoute> oldestFirst = sources.proxyRoutes().stream().sorted(AGE).toList();
    oldestFirst.forEach(proxyRoutes::process);
    proxyRoutes.finish(oldestFirst);
    defaultCertificate.flatMap(tls::processDefault).ifPresent(graph::problem);
    certificates.retainUsed();
    return graph.build();
  }
}
