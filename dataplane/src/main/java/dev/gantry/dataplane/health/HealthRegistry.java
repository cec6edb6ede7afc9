package dev.gantry.dataplane.health;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keeps endpoint health by cluster name across snapshots: binds each new snapshot's {@link
 * ClusterBalancer}s to the state kept for their name, forgets clusters the snapshot dropped, runs
 * the active probes of clusters that have a health check on the proxy's event loops, and returns
 * ejected endpoints to rotation once their time is up (checked every second).
 *
 * <p>Thread-safe: {@link #adopt} runs on the thread that applies snapshots.
 */
public final class HealthRegistry implements AutoCloseable {
  private static final long SWEEP_MILLIS = 1000;

  private final EventLoopGroup loops;
  private final Bootstrap template;
  private final HealthMetrics metrics;
  private final Map<String, Entry> clusters = new HashMap<>(); // guarded by this
  private final ScheduledFuture<?> sweeper;
  private boolean closed; // guarded by this

  /**
   * Returns a registry that probes on {@code loops} with sockets of {@code channelType}, resolving
   * endpoint names with {@code resolver}, and publishes to {@code registry}.
   */
  public HealthRegistry(
      EventLoopGroup loops,
      Class<? extends Channel> channelType,
      AddressResolverGroup<?> resolver,
      MeterRegistry registry) {
    this.loops = requireNonNull(loops, "loops");
    this.template =
        new Bootstrap()
            .channel(requireNonNull(channelType, "channelType"))
            .resolver(requireNonNull(resolver, "resolver"));
    this.metrics = new HealthMetrics(requireNonNull(registry, "registry"));
    this.sweeper =
        loops
            .next()
            .scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Binds {@code balancers}, the clusters of a snapshot about to be served, to the health kept for
   * their names, and forgets (stopping their probes) the clusters not among them.
   */
  public synchronized void adopt(Collection<ClusterBalancer> balancers) {
    if (closed) {
      return;
    }
    Map<String, Entry> next = new HashMap<>();
    for (ClusterBalancer balancer : balancers) {
      Entry entry = clusters.remove(balancer.name());
      if (entry == null) {
        entry = new Entry(new ClusterHealth(balancer, System::nanoTime, metrics));
      } else {
        entry.health.update(balancer);
      }
      entry.probe(balancer.healthCheck());
      balancer.bind(entry.health);
      next.put(balancer.name(), entry);
    }
    clusters.values().forEach(Entry::stop);
    clusters.clear();
    clusters.putAll(next);
    metrics.clusters(clusters.values().stream().map(e -> e.health).toList());
  }

  /** Returns where an endpoint of a cluster stands, or {@code null} when neither is known. */
  public synchronized EndpointState stateOf(String cluster, InetSocketAddress address) {
    Entry entry = clusters.get(cluster);
    return entry == null ? null : entry.health.stateOf(address);
  }

  private void sweep() {
    Collection<ClusterHealth> all;
    synchronized (this) {
      all = clusters.values().stream().map(e -> e.health).toList();
    }
    all.forEach(ClusterHealth::sweep);
  }

  /** Stops every probe and the sweeper. */
  @Override
  public synchronized void close() {
    closed = true;
    sweeper.cancel(false);
    clusters.values().forEach(Entry::stop);
    clusters.clear();
  }

  /** A cluster's health and the probes of its endpoints. */
  private final class Entry {
    final ClusterHealth health;
    final Map<InetSocketAddress, HealthProbe> probes = new HashMap<>();
    Optional<HealthCheckPolicy> policy = Optional.empty();

    Entry(ClusterHealth health) {
      this.health = health;
    }

    /** Probes exactly the endpoints the cluster lists now, restarting all if the policy changed. */
    void probe(Optional<HealthCheckPolicy> check) {
      if (!check.equals(policy)) {
        stop();
        policy = check;
      }
      if (check.isEmpty()) {
        return;
      }
      Map<InetSocketAddress, HealthProbe> keep = new HashMap<>();
      for (var endpoint : health.endpoints()) {
        InetSocketAddress address = endpoint.address();
        HealthProbe probe = probes.remove(address);
        if (probe == null && !keep.containsKey(address)) {
          probe = new HealthProbe(loops.next(), template, address, check.get(), health);
          probe.start();
        }
        if (probe != null) {
          keep.put(address, probe);
        }
      }
      stop();
      probes.putAll(keep);
    }

    void stop() {
      probes.values().forEach(HealthProbe::stop);
      probes.clear();
    }
  }
}
