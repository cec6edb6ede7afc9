package dev.gantry.dataplane.health;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.balance.LoadBalancer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The health of one cluster's endpoints, kept by cluster name across snapshots: active check
 * results, passive outlier counts and ejections, and the balancer over the endpoints in rotation.
 *
 * <p>Armeria's pattern: every change of an endpoint's standing rebuilds the balancer under a short
 * lock; picks read it from a volatile field without one. Outcomes arrive from every event loop and
 * touch only per-endpoint atomic counters until one crosses a threshold.
 */
final class ClusterHealth {

  /** Receives what a cluster's health does, for metrics. */
  interface Listener {
    Listener NONE = new Listener() {};

    default void ejected(String cluster, Outcome reason) {}

    default void probed(String cluster, boolean passed) {}
  }

  private final String name;
  private final LongSupplier nanoClock;
  private final Listener listener;
  private final Object lock = new Object();

  private ClusterBalancer spec; // guarded by lock
  private volatile OutlierPolicy outlier;
  private volatile Map<InetSocketAddress, Member> members = Map.of(); // replaced under lock
  private volatile LoadBalancer selector;

  ClusterHealth(ClusterBalancer spec, LongSupplier nanoClock, Listener listener) {
    this.name = spec.name();
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    this.listener = requireNonNull(listener, "listener");
    update(spec);
  }

  String name() {
    return name;
  }

  /** Returns the endpoints the newest snapshot lists. */
  List<Endpoint> endpoints() {
    synchronized (lock) {
      return spec.endpoints();
    }
  }

  /** Returns the balancer over the endpoints in rotation (all of them when none is). */
  LoadBalancer selector() {
    return selector;
  }

  /**
   * Takes a new snapshot's view of the cluster: endpoints it still lists keep their state, new ones
   * start healthy (the snapshot lists ready endpoints only), those it dropped are forgotten.
   */
  void update(ClusterBalancer view) {
    synchronized (lock) {
      Map<InetSocketAddress, Member> next = new HashMap<>();
      for (Endpoint e : view.endpoints()) {
        Member m = next.get(e.address());
        if (m == null) {
          m = members.get(e.address());
        }
        if (m == null) {
          m = new Member();
        }
        if (view.healthCheck().isEmpty()) {
          m.unhealthy = false; // nothing probes it any more
        }
        next.put(e.address(), m);
      }
      spec = view;
      outlier = view.outlier();
      members = Map.copyOf(next);
      rebuild();
    }
  }

  /** Returns whether balancers may pick {@code endpoint} now. */
  boolean inRotation(Endpoint endpoint) {
    Member m = members.get(endpoint.address());
    return m != null && m.inRotation;
  }

  /** Returns where {@code address} stands, or {@code null} when the cluster does not list it. */
  EndpointState stateOf(InetSocketAddress address) {
    Member m = members.get(address);
    if (m == null) {
      return null;
    }
    synchronized (lock) {
      return m.state();
    }
  }

  /** Returns how many endpoints are in each state. */
  Map<EndpointState, Integer> counts() {
    Map<EndpointState, Integer> counts = new EnumMap<>(EndpointState.class);
    for (EndpointState s : EndpointState.values()) {
      counts.put(s, 0);
    }
    synchronized (lock) {
      for (Member m : members.values()) {
        counts.merge(m.state(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /**
   * Counts the outcome of one exchange; ejects the endpoint when a count reaches its threshold.
   * Allocation-free and lock-free unless it ejects.
   */
  void report(Endpoint endpoint, Outcome outcome) {
    OutlierPolicy p = outlier;
    if (!p.enabled()) {
      return;
    }
    Member m = members.get(endpoint.address());
    if (m == null) {
      return; // dropped by a newer snapshot
    }
    switch (outcome) {
      case SUCCESS -> {
        reset(m.gatewayErrors);
        reset(m.serverErrors);
      }
      case SERVER_ERROR -> {
        reset(m.gatewayErrors);
        if (p.consecutive5xx() > 0 && m.serverErrors.incrementAndGet() >= p.consecutive5xx()) {
          eject(m, Outcome.SERVER_ERROR);
        }
      }
      case GATEWAY_ERROR -> {
        boolean gateway =
            p.consecutiveGatewayErrors() > 0
                && m.gatewayErrors.incrementAndGet() >= p.consecutiveGatewayErrors();
        boolean server =
            p.consecutive5xx() > 0 && m.serverErrors.incrementAndGet() >= p.consecutive5xx();
        if (gateway || server) {
          eject(m, gateway ? Outcome.GATEWAY_ERROR : Outcome.SERVER_ERROR);
        }
      }
    }
  }

  private static void reset(AtomicInteger counter) {
    if (counter.get() != 0) { // a read, not a write, on the common path
      counter.set(0);
    }
  }

  /** Counts one active probe of {@code address}; turns the endpoint (un)healthy at a threshold. */
  void probed(InetSocketAddress address, boolean passed) {
    listener.probed(name, passed);
    synchronized (lock) {
      Member m = members.get(address);
      HealthCheckPolicy check = spec.healthCheck().orElse(null);
      if (m == null || check == null) {
        return;
      }
      if (passed) {
        m.failedInRow = 0;
        m.passedInRow++;
        if (m.unhealthy && m.passedInRow >= check.healthyThreshold()) {
          m.unhealthy = false;
          rebuild();
        }
      } else {
        m.passedInRow = 0;
        m.failedInRow++;
        if (!m.unhealthy && m.failedInRow >= check.unhealthyThreshold()) {
          m.unhealthy = true;
          rebuild();
        }
      }
    }
  }

  /**
   * Returns ejected endpoints whose time is up to rotation, and lowers the ejection multiplier of
   * endpoints that stayed in for a base ejection time. Called about once a second.
   */
  void sweep() {
    long now = nanoClock.getAsLong();
    synchronized (lock) {
      long base = outlier.baseEjectionTime().toNanos();
      boolean changed = false;
      for (Member m : members.values()) {
        if (m.ejected && now - m.ejectedUntil >= 0) {
          m.ejected = false;
          m.since = now;
          changed = true;
        } else if (!m.ejected && m.ejections > 0 && now - m.since >= base) {
          m.ejections--;
          m.since = now;
        }
      }
      if (changed) {
        rebuild();
      }
    }
  }

  private void eject(Member m, Outcome reason) {
    synchronized (lock) {
      m.gatewayErrors.set(0);
      m.serverErrors.set(0);
      OutlierPolicy p = outlier;
      if (m.ejected || members.values().stream().noneMatch(x -> x == m)) {
        return;
      }
      long ejected = members.values().stream().filter(x -> x.ejected).count();
      if (ejected + 1 > p.maxEjected(members.size())) {
        return; // the cluster is at its ejection limit: the endpoint stays in
      }
      long now = nanoClock.getAsLong();
      m.ejected = true;
      m.ejections++;
      m.since = now;
      m.ejectedUntil = now + p.ejectionTime(m.ejections).toNanos();
      listener.ejected(name, reason);
      rebuild();
    }
  }

  /** Rebuilds the selector over the endpoints in rotation; called under the lock. */
  private void rebuild() {
    List<Endpoint> in = new ArrayList<>(spec.endpoints().size());
    for (Endpoint e : spec.endpoints()) {
      Member m = members.get(e.address());
      if (!m.unhealthy && !m.ejected) {
        in.add(e);
      }
    }
    boolean failOpen = in.isEmpty();
    for (Endpoint e : spec.endpoints()) {
      Member m = members.get(e.address());
      m.inRotation = failOpen || (!m.unhealthy && !m.ejected);
    }
    selector = spec.balancerOver(failOpen ? spec.endpoints() : in);
  }

  /** One endpoint's standing; fields other than the counters are guarded by the cluster's lock. */
  private static final class Member {
    final AtomicInteger gatewayErrors = new AtomicInteger();
    final AtomicInteger serverErrors = new AtomicInteger();
    volatile boolean inRotation = true;
    boolean unhealthy;
    int passedInRow;
    int failedInRow;
    boolean ejected;
    int ejections;
    long ejectedUntil;
    long since;

    EndpointState state() {
      return unhealthy
          ? EndpointState.UNHEALTHY
          : ejected ? EndpointState.EJECTED : EndpointState.HEALTHY;
    }
  }
}
