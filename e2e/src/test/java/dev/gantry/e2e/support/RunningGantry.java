package dev.gantry.e2e.support;

import dev.gantry.dataplane.Dataplane;
import dev.gantry.dataplane.DataplaneChannels;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;

/**
 * An operator in this JVM (on loopback, ports chosen by the system) and one dataplane streaming
 * from it over real gRPC: Gantry as the e2e tests run it against a real API server.
 */
public final class RunningGantry implements AutoCloseable {
  private final GantryOperator operator;
  private final ManagedChannel channel;
  private final Dataplane dataplane;

  private RunningGantry(GantryOperator operator, ManagedChannel channel, Dataplane dataplane) {
    this.operator = operator;
    this.channel = channel;
    this.dataplane = dataplane;
  }

  /** Starts an operator configured by {@code config} and a dataplane named {@code node}. */
  public static RunningGantry start(KubernetesClient client, OperatorConfig config, String node)
      throws Exception {
    GantryOperator operator =
        GantryOperator.start(config.withPorts(0, 0).withBindAddress("127.0.0.1"), client);
    ManagedChannel channel = DataplaneChannels.forTarget("127.0.0.1:" + operator.grpcPort());
    Dataplane dataplane =
        Dataplane.start(
            DataplaneConfig.defaults(node)
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)),
            channel);
    return new RunningGantry(operator, channel, dataplane);
  }

  public GantryOperator operator() {
    return operator;
  }

  public Dataplane dataplane() {
    return dataplane;
  }

  /** Sends GET {@code path} with Host {@code host} to the dataplane on a connection of its own. */
  public HttpConnection.Response get(String host, String path) throws Exception {
    try (HttpConnection c = new HttpConnection(dataplane.httpPort())) {
      return c.get(host, path);
    }
  }

  @Override
  public void close() throws Exception {
    dataplane.close();
    channel.shutdownNow();
    operator.close();
  }
}
