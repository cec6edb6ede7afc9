package dev.gantry.e2e.kube;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the JVM's one kube-apiserver and etcd processes and the client to them. Closed by JUnit at
 * the end of the run (root store), or by a shutdown hook when the JVM is stopped first.
 */
final class RunningKubeApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunningKubeApiServer.class);
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final KubeAPIServer processes;
  private final KubeApiServer server;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunningKubeApiServer(KubeAPIServer processes, KubeApiServer server) {
    this.processes = processes;
    this.server = server;
    this.shutdownHook = new Thread(this::stopProcesses, "kube-apiserver-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts etcd and kube-apiserver from local binaries and waits until the default namespace is
   * served.
   */
  static RunningKubeApiServer start(KubeApiTestBinaries binaries) {
    var config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(binaries.testDir().toString())
            .withApiServerVersion(binaries.version())
            // Never download: a missing binary must fail here, not reach for the network.
            .withOfflineMode(true)
            // Leaves ~/.kube/config alone; the kubeconfig is handed out as YAML instead.
            .withUpdateKubeConfig(false)
            .withApiServerFlag("--bind-address", "127.0.0.1")
            .withStartupTimeout((int) STARTUP_TIMEOUT.toMillis())
            .build();
    var processes = new KubeAPIServer(config);
    long started = System.nanoTime();
    try {
      processes.start();
    } catch (RuntimeException e) {
      safeStop(processes);
      throw new IllegalStateException(
          "kube-apiserver "
              + binaries.version()
              + " from "
              + binaries.binaryDir()
              + " did not start within "
              + STARTUP_TIMEOUT.toSeconds()
              + " s",
          e);
    }
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    String kubeconfig = processes.getKubeConfigYaml();
    KubernetesClient client =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    log.info(
        "kube-apiserver {} ready at {} in {} ms",
        binaries.version(),
        client.getMasterUrl(),
        millis);
    return new RunningKubeApiServer(
        processes, new KubeApiServer(kubeconfig, client, binaries.version()));
  }

  KubeApiServer server() {
    return server;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to; stopping twice is harmless
    }
    stopProcesses();
  }

  private void stopProcesses() {
    if (closed.compareAndSet(false, true)) {
      server.client().close();
      safeStop(processes);
      log.info("kube-apiserver stopped");
    }
  }

  private static void safeStop(KubeAPIServer processes) {
    try {
      processes.stop();
    } catch (RuntimeException e) {
      log.warn("stopping kube-apiserver failed", e);
    }
  }
}
