package dev.gantry.dataplane.relay;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.observe.RelayLog;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.routing.UpstreamCluster;
import dev.gantry.dataplane.upstream.ConnectionLimit;
import dev.gantry.dataplane.upstream.TcpConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * TLS passthrough on the TLS listener: hands out, per connection, the handler that reads the
 * ClientHello's server name and either relays the connection (see {@link Relay}) or steps aside for
 * TLS termination. Shared by every connection of the listener; holds no per-connection state.
 */
public final class Passthrough {

  private final RoutingTableHolder tables;
  private final TcpConnector connector;
  private final RelayLog log;
  private final RelayMetrics metrics;

  /**
   * @param tables the current routing table names the passthrough hosts
   * @param connector opens the connections to endpoints
   * @param log where each relay's access-log line goes
   */
  public Passthrough(
      RoutingTableHolder tables, TcpConnector connector, RelayLog log, MeterRegistry registry) {
    this.tables = requireNonNull(tables, "tables");
    this.connector = requireNonNull(connector, "connector");
    this.log = requireNonNull(log, "log");
    this.metrics = new RelayMetrics(requireNonNull(registry, "registry"));
  }

  /**
   * Returns the handler for one connection, to sit before the terminating SNI handler.
   *
   * @param leaveTermination removes the handlers that terminate TLS and speak HTTP from a
   *     connection that is relayed instead; runs on its event loop
   * @param limits the connection limit (circuit breaker) of each cluster, shared with the HTTP
   *     path's pools
   */
  public ChannelHandler newHandler(
      Consumer<ChannelPipeline> leaveTermination,
      Function<UpstreamCluster, ConnectionLimit> limits) {
    return new PassthroughSniHandler(
        this,
        requireNonNull(leaveTermination, "leaveTermination"),
        requireNonNull(limits, "limits"));
  }

  RoutingTableHolder tables() {
    return tables;
  }

  TcpConnector connector() {
    return connector;
  }

  RelayLog log() {
    return log;
  }

  RelayMetrics metrics() {
    return metrics;
  }
}
