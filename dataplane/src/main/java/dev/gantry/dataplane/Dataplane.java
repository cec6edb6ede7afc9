package dev.gantry.dataplane;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.admin.AdminServerInitializer;
import dev.gantry.dataplane.health.HealthRegistry;
import dev.gantry.dataplane.observe.RelayLog;
import dev.gantry.dataplane.overload.JvmMemoryPressure;
import dev.gantry.dataplane.overload.MemoryPressure;
import dev.gantry.dataplane.pipeline.Drain;
import dev.gantry.dataplane.pipeline.HttpServerConfig;
import dev.gantry.dataplane.pipeline.HttpServerInitializer;
import dev.gantry.dataplane.relay.Passthrough;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.snapshot.SnapshotClient;
import dev.gantry.dataplane.snapshot.SnapshotClientConfig;
import dev.gantry.dataplane.tls.CertificateStore;
import dev.gantry.dataplane.upstream.H2cConfig;
import dev.gantry.dataplane.upstream.TcpConnector;
import dev.gantry.dataplane.upstream.UpstreamConfig;
import dev.gantry.dataplane.upstream.UpstreamPools;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dataplane: the HTTP/1.1 and h2c proxy, optionally its TLS listener (HTTP/1.1 and h2 by
 * ALPN, certificates by SNI from the snapshot), the admin server and the snapshot client, wired
 * together. {@link #start} returns once the servers listen; the proxy answers 404 until the first
 * snapshot arrives and keeps serving the last good snapshot whenever the operator is away.
 *
 * <p>Thread-safe. Does not own the control-plane channel: the caller shuts it down after {@link
 * #close()}.
 */
public final class Dataplane implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Dataplane.class);

  private final RoutingTableHolder tables;
  private final PrometheusMeterRegistry registry;
  private final SnapshotClient snapshots;
  private final List<EventLoopGroup> groups;
  private final DnsAddressResolverGroup resolver;
  private final HealthRegistry health;

  /** Null when shedding is off. */
  private final JvmMemoryPressure memory;

  private final Channel http;

  /** Null without a TLS listener. */
  private final Channel https;

  private final Channel admin;
  private final Drain drain;
  private final DataplaneConfig.Shutdown shutdown;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Dataplane(
      RoutingTableHolder tables,
      PrometheusMeterRegistry registry,
      SnapshotClient snapshots,
      List<EventLoopGroup> groups,
      DnsAddressResolverGroup resolver,
      HealthRegistry health,
      JvmMemoryPressure memory,
      Channel http,
      Channel https,
      Channel admin,
      Drain drain,
      DataplaneConfig.Shutdown shutdown) {
    this.drain = drain;
    this.shutdown = shutdown;
    this.tables = tables;
    this.registry = registry;
    this.snapshots = snapshots;
    this.groups = groups;
    this.resolver = resolver;
    this.health = health;
    this.memory = memory;
    this.http = http;
    this.https = https;
    this.admin = admin;
  }

  /**
   * Starts a dataplane: binds the proxy and admin listeners, then opens the snapshot stream on
   * {@code controlPlane}.
   *
   * @throws IllegalStateException when a listener cannot bind (everything started is stopped again)
   */
  public static Dataplane start(DataplaneConfig config, ManagedChannel controlPlane) {
    requireNonNull(config, "config");
    requireNonNull(controlPlane, "controlPlane");
    Transport transport = Transport.detect();
    EventLoopGroup accept = transport.newGroup(1, "gantry-accept");
    EventLoopGroup workers = transport.newGroup(config.workerThreads(), "gantry-proxy");
    EventLoopGroup adminLoop = transport.newGroup(1, "gantry-admin");
    List<EventLoopGroup> groups = List.of(accept, workers, adminLoop);
    PrometheusMeterRegistry registry = newRegistry();
    DnsAddressResolverGroup resolver = transport.newResolverGroup();
    HealthRegistry health =
        new HealthRegistry(workers, transport.socketChannelType(), resolver, registry);
    RoutingTableHolder tables = new RoutingTableHolder(health);
    JvmMemoryPressure memory = null;
    try {
      UpstreamConfig upstreamConfig =
          new UpstreamConfig(
              transport.socketChannelType(),
              resolver,
              config.idleTimeout(),
              UpstreamConfig.DEFAULT_MAX_IDLE_PER_ENDPOINT);
      UpstreamPools upstreams = new UpstreamPools(upstreamConfig, H2cConfig.defaults(), registry);
      HttpServerConfig httpConfig =
          new HttpServerConfig(
              config.idleTimeout(),
              config.limits(),
              config.trustedProxies(),
              config.accessLog(),
              config.effectiveHttpsRedirectPort());
      memory =
          config.shedMemoryPercent() == 0
              ? null
              : new JvmMemoryPressure(config.shedMemoryPercent(), adminLoop.next(), registry);
      HttpServerInitializer proxy =
          new HttpServerInitializer(
              httpConfig,
              config.http2(),
              tables,
              upstreams,
              memory == null ? MemoryPressure.NONE : memory,
              registry);
      Drain drain = proxy.drain();
      Channel http =
          bind(new ServerBootstrap().group(accept, workers), transport, config.http(), proxy);
      CertificateStore certificates = null;
      Channel https = null;
      if (config.https().isPresent()) {
        certificates = new CertificateStore(config.defaultCertificate().orElse(""), registry);
        certificates.scheduleTicketKeyRotation(adminLoop);
        https =
            bind(
                new ServerBootstrap().group(accept, workers),
                transport,
                config.https().get(),
                proxy.tls(
                    certificates::newSniHandler,
                    new Passthrough(
                        tables,
                        new TcpConnector(upstreamConfig),
                        new RelayLog(config.accessLog()),
                        registry)));
      }
      Channel admin =
          bind(
              new ServerBootstrap().group(adminLoop),
              transport,
              config.admin(),
              new AdminServerInitializer(tables, registry, drain::isDraining));
      SnapshotClient snapshots =
          new SnapshotClient(
              controlPlane,
              new SnapshotClientConfig(
                  config.nodeId(),
                  config.build(),
                  config.reconnect().initial(),
                  config.reconnect().max()),
              tables,
              certificates == null ? snapshot -> {} : certificates::apply,
              registry);
      snapshots.start();
      log.info(
          "dataplane {} ({}) listening: http {}, https {}, admin {} ({} transport)",
          config.nodeId(),
          config.build(),
          http.localAddress(),
          https == null ? "off" : https.localAddress(),
          admin.localAddress(),
          transport.name());
      if (certificates != null) {
        log.info(
            "TLS by {}; default certificate {}",
            certificates.provider(),
            config.defaultCertificate().orElse("none (handshakes naming no TLS host fail)"));
      }
      return new Dataplane(
          tables,
          registry,
          snapshots,
          groups,
          resolver,
          health,
          memory,
          http,
          https,
          admin,
          drain,
          config.shutdown());
    } catch (RuntimeException e) {
      health.close();
      if (memory != null) {
        memory.close();
      }
      resolver.close();
      shutdown(groups);
      registry.close();
      throw e;
    }
  }

  /** Returns the port the proxy listens on (the bound one when the configured port was 0). */
  public int httpPort() {
    return ((InetSocketAddress) http.localAddress()).getPort();
  }

  /**
   * Returns the port the TLS listener listens on (the bound one when the configured port was 0).
   *
   * @throws IllegalStateException when the dataplane has no TLS listener
   */
  public int httpsPort() {
    if (https == null) {
      throw new IllegalStateException("no TLS listener (configure DataplaneConfig.https)");
    }
    return ((InetSocketAddress) https.localAddress()).getPort();
  }

  /**
   * Returns the port the admin server listens on (the bound one when the configured port was 0).
   */
  public int adminPort() {
    return ((InetSocketAddress) admin.localAddress()).getPort();
  }

  /** Returns the version of the snapshot being served; 0 before the first one. */
  public long currentVersion() {
    return tables.current().version();
  }

  /**
   * Stops gracefully: readiness fails at once; after the configured delay the listener stops
   * accepting, connections with no request in flight close, and each exchange in flight finishes
   * with {@code Connection: close} (HTTP/2 connections get GOAWAY and their open streams finish),
   * for at most the configured timeout; then the snapshot stream, the admin listener and the event
   * loops stop. Blocks until done. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info(
        "draining {} client connections (delay {}, timeout {})",
        drain.connections(),
        shutdown.delay(),
        shutdown.timeout());
    drain.start();
    if (!shutdown.delay().isZero()) {
      sleepUninterruptibly(shutdown.delay());
    }
    http.close().syncUninterruptibly();
    if (https != null) {
      https.close().syncUninterruptibly();
    }
    // Again, now that no connection can arrive: those accepted during the delay are drained too.
    ChannelGroupFuture drained = drain.start();
    if (!drained.awaitUninterruptibly(shutdown.timeout().toMillis())) {
      log.warn(
          "{} client connections still open after {}; closing them",
          drain.connections(),
          shutdown.timeout());
    }
    snapshots.close();
    health.close();
    admin.close().syncUninterruptibly();
    if (memory != null) {
      memory.close();
    }
    resolver.close();
    shutdown(groups);
    registry.close();
    log.info("dataplane stopped");
  }

  /** Waits out the readiness delay: load balancers need it to stop sending, whatever interrupts. */
  private static void sleepUninterruptibly(Duration delay) {
    long end = System.nanoTime() + delay.toNanos();
    boolean interrupted = false;
    for (long left; (left = end - System.nanoTime()) > 0; ) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Channel bind(
      ServerBootstrap bootstrap,
      Transport transport,
      DataplaneConfig.Listener listener,
      ChannelInitializer<Channel> initializer) {
    try {
      return bootstrap
          .channel(transport.serverChannelType())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(initializer)
          .bind(listener.host(), listener.port())
          .syncUninterruptibly()
          .channel();
    } catch (Exception e) { // bind failures arrive as undeclared checked exceptions
      throw new IllegalStateException("cannot listen on " + listener + ": " + e.getMessage(), e);
    }
  }

  private static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return registry;
  }

  private static void shutdown(List<EventLoopGroup> groups) {
    List<Future<?>> terminations =
        groups.stream()
            .<Future<?>>map(group -> group.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS))
            .toList();
    terminations.forEach(Future::awaitUninterruptibly);
  }
}
