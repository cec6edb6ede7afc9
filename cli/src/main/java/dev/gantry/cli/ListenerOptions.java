package dev.gantry.cli;

import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
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
      names = "--worker-threads",
      defaultValue = "0",
      description = "Proxy event-loop threads (default: 0, one per CPU the JVM sees).")
  int workerThreads;

  /** Returns the dataplane defaults for {@code nodeId} with these listeners and this build. */
  DataplaneConfig dataplaneConfig(String nodeId) {
    return DataplaneConfig.defaults(nodeId)
        .withHttp(new Listener(bindAddress, httpPort))
        .withAdmin(new Listener(bindAddress, adminPort))
        .withEventLoopThreads(workerThreads)
        .withBuild(Gantry.build());
  }
}
