package dev.gantry.cli;

import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry standalone}: serve the routes in a folder of YAML, no cluster needed. */
@Command(
    name = "standalone",
    mixinStandardHelpOptions = true,
    description =
        "Serve the ProxyRoutes, Services and EndpointSlices in a folder of YAML, applying edits"
            + " live.")
final class StandaloneCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(StandaloneCommand.class);

  @Option(
      names = "--config",
      required = true,
      description = "Folder of Kubernetes YAML files (read recursively).")
  Path config;

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

  @Override
  public Integer call() throws Exception {
    DataplaneConfig dataplane =
        DataplaneConfig.defaults("standalone")
            .withHttp(new Listener(bindAddress, httpPort))
            .withAdmin(new Listener(bindAddress, adminPort))
            .withBuild(Gantry.build());
    Standalone standalone = Standalone.start(config, dataplane);
    log.info(
        "serving {} on http://{}:{} (admin on port {})",
        config,
        bindAddress,
        standalone.httpPort(),
        standalone.adminPort());
    return Lifecycle.runUntilStopped(standalone);
  }
}
