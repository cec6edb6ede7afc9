package dev.gantry.cli;

import dev.gantry.dataplane.Dataplane;
import dev.gantry.dataplane.DataplaneChannels;
import dev.gantry.dataplane.DataplaneConfig;
import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gantry dataplane}: the proxy, fed by an operator's snapshot stream. */
@Command(
    name = "dataplane",
    mixinStandardHelpOptions = true,
    description = "Proxy traffic with the newest snapshot streamed from an operator.")
final class DataplaneCommand implements Callable<Integer> {
  @Option(
      names = "--operator",
      required = true,
      description = "The operator's snapshot stream, HOST:PORT.")
  String operator;

  @Mixin ListenerOptions listeners;

  @Option(
      names = "--node-id",
      description = "This dataplane's name (default: $POD_NAME, else the host name).")
  Optional<String> nodeId;

  @Option(
      names = "--token-file",
      paramLabel = "PATH",
      description =
          "A ServiceAccount token presented to the operator on every stream (read again each"
              + " time: the kubelet rotates it). The chart mounts a projected token with the"
              + " audience gantry.dev/snapshots (default: none).")
  Optional<Path> tokenFile;

  @Override
  public Integer call() throws Exception {
    String node =
        nodeId
            .or(() -> Optional.ofNullable(System.getenv("POD_NAME")))
            .orElse(InetAddress.getLocalHost().getHostName());
    DataplaneConfig config = listeners.dataplaneConfig(node, DataplaneConfig.DEFAULT_HTTPS_PORT);
    ManagedChannel channel = DataplaneChannels.forTarget(operator, tokenFile);
    Dataplane dataplane = Dataplane.start(config, channel);
    return Lifecycle.runUntilStopped(
        () -> {
          dataplane.close();
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        });
  }
}
