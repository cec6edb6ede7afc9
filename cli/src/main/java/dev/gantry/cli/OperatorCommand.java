package dev.gantry.cli;

import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import dev.gantry.operator.compile.IngressClassPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry operator}: the control plane against the cluster the kubeconfig or pod names. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description =
        "Watch the cluster, compile snapshots, stream them to dataplanes and write status.")
final class OperatorCommand implements Callable<Integer> {
  @Option(
      names = "--grpc-port",
      defaultValue = "18000",
      description = "Snapshot stream port (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(
      names = "--admin-port",
      defaultValue = "8000",
      description = "/healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--bind-address",
      defaultValue = "0.0.0.0",
      description = "Address both ports bind to (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--watch-namespace", description = "Watch one namespace only (default: all).")
  Optional<String> watchNamespace;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Elect one status writer through a Lease in $POD_NAMESPACE (default: on when"
              + " POD_NAMESPACE is set).")
  boolean leaderElection;

  @Option(
      names = "--default-certificate",
      paramLabel = "NAMESPACE/SECRET",
      description =
          "A kubernetes.io/tls Secret shipped to dataplanes as the certificate served when SNI"
              + " names no host with a certificate, or when there is no SNI (default: none; such"
              + " handshakes fail).")
  Optional<String> defaultCertificate;

  @Option(
      names = "--publish-address",
      split = ",",
      paramLabel = "ADDRESS",
      description =
          "IPs or hostnames written to the status.loadBalancer of Gantry's Ingresses (default:"
              + " the --publish-service's).")
  List<String> publishAddresses = List.of();

  @Option(
      names = "--publish-service",
      paramLabel = "NAMESPACE/NAME",
      description =
          "The dataplane's Service, whose LoadBalancer ingress Gantry's Ingresses publish in"
              + " their status.loadBalancer (default: none).")
  Optional<String> publishService;

  @Option(
      names = "--dataplane-service-account",
      split = ",",
      paramLabel = "NAMESPACE/NAME",
      description =
          "The dataplanes' ServiceAccounts: a snapshot stream starts only for a client presenting"
              + " a token of one of them for the audience --dataplane-audience, checked with a"
              + " TokenReview (snapshots carry TLS private keys). Without it the stream is open to"
              + " whoever reaches the port, which the operator logs as a warning.")
  List<String> dataplaneServiceAccounts = List.of();

  @Option(
      names = "--also-own-ingress-class",
      split = ",",
      paramLabel = "NAME",
      description =
          "Serve the Ingresses of these IngressClasses too, whatever their controller: while"
              + " migrating from ingress-nginx, `nginx` (default: none).")
  List<String> alsoOwnedClasses = List.of();

  @Option(
      names = "--nginx-configmap",
      paramLabel = "NAMESPACE/NAME",
      description =
          "The ingress-nginx ConfigMap whose global defaults (timeouts, body size, ssl-redirect,"
              + " HSTS) Gantry's Ingresses get, while migrating (default: none).")
  Optional<String> nginxConfigMap;

  @Option(
      names = "--dataplane-audience",
      defaultValue = OperatorConfig.DataplaneAuth.DEFAULT_AUDIENCE,
      description = "The audience of the dataplanes' tokens (default: ${DEFAULT-VALUE}).")
  String dataplaneAudience;

  @Override
  public Integer call() throws Exception {
    OperatorConfig config =
        OperatorConfig.defaults()
            .withPorts(grpcPort, adminPort)
            .withBindAddress(bindAddress)
            .withWatchNamespace(watchNamespace)
            .withLeaderElection(leaderElection ? lease() : Optional.empty())
            .withDefaultCertificate(defaultCertificate)
            .withPublish(new OperatorConfig.Publish(publishAddresses, publishService))
            .withNginxConfigMap(nginxConfigMap)
            .withIngressClasses(IngressClassPolicy.CLUSTER.alsoOwning(Set.copyOf(alsoOwnedClasses)))
            .withDataplaneAuth(
                dataplaneServiceAccounts.isEmpty()
                    ? Optional.empty()
                    : Optional.of(
                        new OperatorConfig.DataplaneAuth(
                            dataplaneAudience, Set.copyOf(dataplaneServiceAccounts))));
    KubernetesClient client = new KubernetesClientBuilder().build();
    GantryOperator operator = GantryOperator.start(config, client);
    return Lifecycle.runUntilStopped(
        () -> {
          operator.close();
          client.close();
        });
  }

  private static Optional<OperatorConfig.Lease> lease() throws Exception {
    String namespace = System.getenv("POD_NAMESPACE");
    if (namespace == null || namespace.isBlank()) {
      return Optional.empty();
    }
    String identity =
        Optional.ofNullable(System.getenv("POD_NAME"))
            .orElse(InetAddress.getLocalHost().getHostName());
    String name = Optional.ofNullable(System.getenv("GANTRY_LEASE_NAME")).orElse("gantry-operator");
    return Optional.of(new OperatorConfig.Lease(name, namespace, identity));
  }
}
