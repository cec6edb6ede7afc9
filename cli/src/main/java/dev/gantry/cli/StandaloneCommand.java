package dev.gantry.cli;

import dev.gantry.dataplane.DataplaneConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin ListenerOptions listeners;

  @Option(
      names = "--nginx-configmap",
      paramLabel = "NAMESPACE/NAME",
      description =
          "An ingress-nginx ConfigMap in the folder whose global defaults (timeouts, body size,"
              + " ssl-redirect, HSTS) the Ingresses get (default: none).")
  Optional<String> nginxConfigMap;

  @Override
  public Integer call() throws Exception {
    DataplaneConfig dataplane = listeners.dataplaneConfig("standalone");
    Standalone standalone = Standalone.start(config, dataplane, nginxConfigMap);
    log.info(
        "serving {} on http://{}:{}{} (admin on port {})",
        config,
        listeners.bindAddress,
        standalone.httpPort(),
        dataplane.https().isPresent()
            ? " and https://" + listeners.bindAddress + ":" + standalone.httpsPort()
            : "",
        standalone.adminPort());
    return Lifecycle.runUntilStopped(standalone);
  }
}
