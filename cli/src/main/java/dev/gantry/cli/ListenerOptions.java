package dev.gantry.cli;

import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import dev.gantry.dataplane.pipeline.ListenerLimits;
import dev.gantry.dataplane.pipeline.TrustedProxies;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The dataplane's listener flags, shared by {@code gantry dataplane} and {@code gantry standalone}.
 */
final class ListenerOptions {
  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "Proxy port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--admin-port",
      defaultValue = "9901",
      description = "/ready, /live, /metrics, /snapshot (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--bind-address",
      defaultValue = "0.0.0.0",
      description = "Address both ports bind to (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(
      names = "--trusted-proxies",
      split = ",",
      paramLabel = "CIDR",
      description =
          "Peers whose X-Forwarded-* and X-Request-Id headers are kept, e.g. 10.0.0.0/8"
              + " (default: none; from other peers they are replaced).")
  List<String> trustedProxies = List.of();

  @Option(
      names = "--max-connections",
      defaultValue = "10000",
      description = "Concurrent client connections on the proxy port (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  /** Returns the dataplane defaults for {@code nodeId} with these listeners and this build. */
  DataplaneConfig dataplaneConfig(String nodeId) {
    return DataplaneConfig.defaults(nodeId)
        .withHttp(new Listener(bindAddress, httpPort))
        .withAdmin(new Listener(bindAddress, adminPort))
        .withBuild(Gantry.build())
        .withLimits(ListenerLimits.DEFAULT.withMaxConnections(maxConnections))
        .withTrustedProxies(TrustedProxies.of(trustedProxies));
  }
}
