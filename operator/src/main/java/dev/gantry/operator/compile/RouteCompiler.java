package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Compiles the whole observed world into one route graph. A function of the sources and of the
 * clock's instant (certificates expire): no I/O, and equal sources at an equal instant give an
 * equal result. Bad input is reported per object and never fails the compile. Compiles run one at a
 * time (parsed certificates are remembered between them).
 */
public final class RouteCompiler {
  // Oldest first, so that the oldest claim on a host and path wins deterministically, whatever
  // kind of object (ProxyRoute or Ingress) makes it.
  private static final Comparator<HasMetadata> AGE =
      Comparator.comparing(
              (HasMetadata r) ->
                  Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(r -> BackendIndex.namespaceOf(r.getMetadata().getNamespace()))
          .thenComparing(r -> r.getMetadata().getName())
          .thenComparing(HasMetadata::getKind, Comparator.nullsFirst(Comparator.naturalOrder()));

  private final Clock clock;
  private final Optional<String> defaultCertificate;
  private final IngressClassPolicy ingressClasses;
  private final Optional<String> nginxConfigMap;
  private final CertificateCache certificates = new CertificateCache();

  /**
   * @param clock tells whether a certificate is valid now
   * @param defaultCertificate the Secret ("namespace/name") served to clients whose SNI names no
   *     host with a certificate; shipped in every snapshot when it is valid
   */
  public RouteCompiler(Clock clock, Optional<String> defaultCertificate) {
    this(clock, defaultCertificate, IngressClassPolicy.CLUSTER);
  }

  /**
   * @param ingressClasses which Ingresses are compiled (the others are not even reported)
   */
  public RouteCompiler(
      Clock clock, Optional<String> defaultCertificate, IngressClassPolicy ingressClasses) {
    this(clock, defaultCertificate, ingressClasses, Optional.empty());
  }

  /**
   * @param nginxConfigMap an ingress-nginx ConfigMap ("namespace/name") whose global defaults
   *     Ingresses get (see {@link NginxDefaults})
   */
  public RouteCompiler(
      Clock clock,
      Optional<String> defaultCertificate,
      IngressClassPolicy ingressClasses,
      Optional<String> nginxConfigMap) {
    this.nginxConfigMap = requireNonNull(nginxConfigMap, "nginxConfigMap");
    this.clock = requireNonNull(clock, "clock");
    this.defaultCertificate = requireNonNull(defaultCertificate, "defaultCertificate");
    this.ingressClasses = requireNonNull(ingressClasses, "ingressClasses");
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

  /** The configured ingress-nginx ConfigMap's defaults; none when absent (it may come later). */
  private NginxDefaults nginxDefaults(Sources sources) {
    return nginxConfigMap
        .flatMap(
            name ->
                sources.configMaps().stream()
                    .filter(
                        c ->
                            name.equals(
                                BackendIndex.namespaceOf(c.getMetadata().getNamespace())
                                    + "/"
                                    + c.getMetadata().getName()))
                    .findFirst()
                    .map(c -> NginxDefaults.of(c, name)))
        .orElse(NginxDefaults.NONE);
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
    NginxDefaults defaults = nginxDefaults(sources);
    defaults.problems().forEach(graph::problem);
    IngressProcessor ingresses = new IngressProcessor(backends, routeTls, graph, defaults);
    IngressClassPolicy.Owner owner = ingressClasses.owner(sources.ingressClasses());
    List<HasMetadata> oldestFirst =
        Stream.<HasMetadata>concat(
                sources.proxyRoutes().stream(), sources.ingresses().stream().filter(owner::owns))
            .sorted(AGE)
            .toList();
    for (HasMetadata object : oldestFirst) {
      switch (object) {
        case ProxyRoute route -> proxyRoutes.process(route);
        case Ingress ingress -> ingresses.process(ingress);
        default -> throw new IllegalStateException("kind: " + object.getKind());
      }
    }
    proxyRoutes.finish(
        oldestFirst.stream()
            .filter(ProxyRoute.class::isInstance)
            .map(ProxyRoute.class::cast)
            .toList());
    defaultCertificate.flatMap(tls::processDefault).ifPresent(graph::problem);
    certificates.retainUsed();
    return graph.build();
  }
}
