package dev.gantry.operator;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.compile.IngressClassPolicy;
import dev.gantry.operator.compile.RouteCompiler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How the operator runs.
 *
 * @param grpcPort the snapshot stream port (default 18000; 0 picks a free one)
 * @param adminPort /healthz, /readyz and /metrics (default 8000; 0 picks a free one)
 * @param bindAddress the address both ports bind to (default all interfaces)
 * @param watchNamespace one namespace to watch, or every namespace when empty
 * @param leaderElection the Lease that elects the status writer; none runs the reconciler
 *     unconditionally
 * @param holdOff how long a rebuild waits for more changes (default 100 ms)
 * @param maxDelay the longest a change waits for a rebuild (default 1 s)
 * @param defaultCertificate the kubernetes.io/tls Secret ("namespace/name") shipped in every
 *     snapshot as the certificate for clients whose SNI names no host with one (default none)
 * @param publish what Gantry's Ingresses show in status.loadBalancer (default nothing)
 * @param dataplaneAuth who may stream snapshots (default anyone, with a warning)
 * @param ingressClasses which Ingresses are Gantry's (default: its controller's classes)
 * @param nginxConfigMap an ingress-nginx ConfigMap ("namespace/name") whose global defaults
 *     Ingresses get (default none)
 */
public record OperatorConfig(
    int grpcPort,
    int adminPort,
    String bindAddress,
    Optional<String> watchNamespace,
    Optional<Lease> leaderElection,
    Duration holdOff,
    Duration maxDelay,
    Optional<String> defaultCertificate,
    Publish publish,
    Optional<DataplaneAuth> dataplaneAuth,
    IngressClassPolicy ingressClasses,
    Optional<String> nginxConfigMap) {

  /**
   * Who may stream snapshots (they carry TLS private keys): the holders of a ServiceAccount token
   * for {@code audience}, checked with a TokenReview, whose user is one of {@code serviceAccounts}
   * ({@code namespace/name}).
   */
  public record DataplaneAuth(String audience, Set<String> serviceAccounts) {
    public static final String DEFAULT_AUDIENCE = "gantry.dev/snapshots";

    public DataplaneAuth {
      requireNonNull(audience, "audience");
      serviceAccounts = Set.copyOf(requireNonNull(serviceAccounts, "serviceAccounts"));
      if (audience.isBlank()) {
        throw new IllegalArgumentException(
            "audience: blank (expected: e.g. " + DEFAULT_AUDIENCE + ")");
      }
      if (serviceAccounts.isEmpty()) {
        throw new IllegalArgumentException(
            "serviceAccounts: none (expected: the dataplane's, as NAMESPACE/NAME)");
      }
      serviceAccounts.forEach(RouteCompiler::checkSecretName); // the same NAMESPACE/NAME form
    }
  }

  /**
   * What an Ingress's {@code status.loadBalancer} says: fixed addresses (IPs or hostnames), else
   * the LoadBalancer ingress of the dataplane's Service ({@code namespace/name}), else nothing.
   */
  public record Publish(List<String> addresses, Optional<String> service) {
    public static final Publish NONE = new Publish(List.of(), Optional.empty());

    public Publish {
      addresses = List.copyOf(requireNonNull(addresses, "addresses"));
      requireNonNull(service, "service");
      service.ifPresent(RouteCompiler::checkSecretName); // the same NAMESPACE/NAME form
    }
  }

  /** A Lease name, its namespace, and this replica's identity. */
  public record Lease(String name, String namespace, String identity) {
    public Lease {
      requireNonNull(name, "name");
      requireNonNull(namespace, "namespace");
      requireNonNull(identity, "identity");
    }
  }

  public OperatorConfig {
    requireNonNull(bindAddress, "bindAddress");
    requireNonNull(watchNamespace, "watchNamespace");
    requireNonNull(leaderElection, "leaderElection");
    requireNonNull(holdOff, "holdOff");
    requireNonNull(maxDelay, "maxDelay");
    requireNonNull(defaultCertificate, "defaultCertificate");
    defaultCertificate.ifPresent(RouteCompiler::checkSecretName);
    requireNonNull(publish, "publish");
    requireNonNull(dataplaneAuth, "dataplaneAuth");
    requireNonNull(ingressClasses, "ingressClasses");
    requireNonNull(nginxConfigMap, "nginxConfigMap");
    nginxConfigMap.ifPresent(RouteCompiler::checkSecretName); // the same NAMESPACE/NAME form
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(
        18000,
        8000,
        "0.0.0.0",
        Optional.empty(),
        Optional.empty(),
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        Optional.empty(),
        Publish.NONE,
        Optional.empty(),
        IngressClassPolicy.CLUSTER,
        Optional.empty());
  }

  public OperatorConfig withPorts(int grpc, int admin) {
    return edit(
        b -> {
          b.grpcPort = grpc;
          b.adminPort = admin;
        });
  }

  public OperatorConfig withBindAddress(String address) {
    return edit(b -> b.bindAddress = address);
  }

  public OperatorConfig withWatchNamespace(Optional<String> namespace) {
    return edit(b -> b.watchNamespace = namespace);
  }

  public OperatorConfig withLeaderElection(Optional<Lease> lease) {
    return edit(b -> b.leaderElection = lease);
  }

  public OperatorConfig withDefaultCertificate(Optional<String> secret) {
    return edit(b -> b.defaultCertificate = secret);
  }

  public OperatorConfig withPublish(Publish publish) {
    return edit(b -> b.publish = publish);
  }

  public OperatorConfig withDataplaneAuth(Optional<DataplaneAuth> auth) {
    return edit(b -> b.dataplaneAuth = auth);
  }

  public OperatorConfig withIngressClasses(IngressClassPolicy classes) {
    return edit(b -> b.ingressClasses = classes);
  }

  public OperatorConfig withNginxConfigMap(Optional<String> configMap) {
    return edit(b -> b.nginxConfigMap = configMap);
  }

  /** Returns a copy with what {@code change} sets on its fields; the constructor checks them. */
  private OperatorConfig edit(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new OperatorConfig(
        f.grpcPort,
        f.adminPort,
        f.bindAddress,
        f.watchNamespace,
        f.leaderElection,
        f.holdOff,
        f.maxDelay,
        f.defaultCertificate,
        f.publish,
        f.dataplaneAuth,
        f.ingressClasses,
        f.nginxConfigMap);
  }

  /** A config's components, to copy with some changed. */
  private static final class Fields {
    int grpcPort;
    int adminPort;
    String bindAddress;
    Optional<String> watchNamespace;
    Optional<Lease> leaderElection;
    Duration holdOff;
    Duration maxDelay;
    Optional<String> defaultCertificate;
    Publish publish;
    Optional<DataplaneAuth> dataplaneAuth;
    IngressClassPolicy ingressClasses;
    Optional<String> nginxConfigMap;

    Fields(OperatorConfig c) {
      grpcPort = c.grpcPort;
      adminPort = c.adminPort;
      bindAddress = c.bindAddress;
      watchNamespace = c.watchNamespace;
      leaderElection = c.leaderElection;
      holdOff = c.holdOff;
      maxDelay = c.maxDelay;
      defaultCertificate = c.defaultCertificate;
      publish = c.publish;
      dataplaneAuth = c.dataplaneAuth;
      ingressClasses = c.ingressClasses;
      nginxConfigMap = c.nginxConfigMap;
    }
  }
}
