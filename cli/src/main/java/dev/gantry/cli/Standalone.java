package dev.gantry.cli;

import dev.gantry.dataplane.Dataplane;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.operator.ControlPlane;
import dev.gantry.operator.compile.IngressClassPolicy;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The operator's snapshot path and a dataplane in one JVM, fed by a folder of YAML: the same
 * compiler and the same snapshot stream as in a cluster, with files in place of informers and an
 * in-process gRPC channel in place of the network.
 */
public final class Standalone implements AutoCloseable {
  private final ControlPlane controlPlane;
  private final Server server;
  private final ManagedChannel channel;
  private final Dataplane dataplane;
  private final ConfigFolderWatcher watcher;

  private Standalone(
      ControlPlane controlPlane,
      Server server,
      ManagedChannel channel,
      Dataplane dataplane,
      ConfigFolderWatcher watcher) {
    this.controlPlane = controlPlane;
    this.server = server;
    this.channel = channel;
    this.dataplane = dataplane;
    this.watcher = watcher;
  }

  /**
   * Starts serving {@code configDir}; returns once the ports are bound and the folder has been read
   * once.
   */
  public static Standalone start(Path configDir, DataplaneConfig config) throws IOException {
    return start(configDir, config, Optional.empty());
  }

  /**
   * As {@link #start(Path, DataplaneConfig)}, giving Ingresses the global defaults of the
   * ingress-nginx ConfigMap {@code nginxConfigMap} ("namespace/name") in the folder.
   */
  public static Standalone start(
      Path configDir, DataplaneConfig config, Optional<String> nginxConfigMap) throws IOException {
    if (!Files.isDirectory(configDir)) {
      throw new IOException("config folder " + configDir + " does not exist or is not a folder");
    }
    // Standalone has no operator admin port; the dataplane's /metrics carries what matters here.
    // One --default-certificate for both halves: the compiler ships it, the dataplane picks it.
    ControlPlane controlPlane =
        new ControlPlane(
            Duration.ofMillis(50),
            Duration.ofMillis(500),
            new SimpleMeterRegistry(),
            config.defaultCertificate(),
            // The folder holds what the user wants served: every Ingress, whatever its class.
            IngressClassPolicy.EVERYTHING,
            nginxConfigMap);
    String name = "gantry-standalone-" + System.identityHashCode(controlPlane);
    Server server =
        InProcessServerBuilder.forName(name)
            .addService(controlPlane.snapshotService())
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    Dataplane dataplane = Dataplane.start(config, channel);
    ConfigFolderWatcher watcher = new ConfigFolderWatcher(configDir, controlPlane.sources());
    watcher.start();
    return new Standalone(controlPlane, server, channel, dataplane, watcher);
  }

  public int httpPort() {
    return dataplane.httpPort();
  }

  /**
   * Returns the TLS port.
   *
   * @throws IllegalStateException when started without one
   */
  public int httpsPort() {
    return dataplane.httpsPort();
  }

  public int adminPort() {
    return dataplane.adminPort();
  }

  @Override
  public void close() throws Exception {
    watcher.close();
    dataplane.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    controlPlane.close();
  }
}
