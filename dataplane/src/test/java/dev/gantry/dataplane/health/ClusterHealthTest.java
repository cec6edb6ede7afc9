package dev.gantry.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.balance.LoadBalancer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClusterHealthTest {
  private static final HealthCheckPolicy CHECK =
      new HealthCheckPolicy(
          "/healthz", Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 3, "", 200, 399);
  private static final OutlierPolicy OUTLIER =
      new OutlierPolicy(3, 0, Duration.ofSeconds(10), Duration.ofSeconds(25), 50);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<String> ejections = new ArrayList<>();
  private final ClusterHealth.Listener listener =
      new ClusterHealth.Listener() {
        @Override
        public void ejected(String cluster, Outcome reason) {
          ejections.add(cluster + ":" + reason);
        }
      };

  private static Endpoint endpoint(int i) {
    return new Endpoint(new InetSocketAddress("127.0.0." + i, 8080), 1);
  }

  private static List<Endpoint> endpoints(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(ClusterHealthTest::endpoint).toList();
  }

  private static ClusterBalancer view(List<Endpoint> endpoints, OutlierPolicy outlier) {
    return new ClusterBalancer(
        "ns/web:80", endpoints, LoadBalancer::roundRobin, Optional.of(CHECK), outlier);
  }

  private ClusterHealth health(ClusterBalancer view) {
    ClusterHealth health = new ClusterHealth(view, clock::get, listener);
    view.bind(health);
    return health;
  }

  private static Set<Endpoint> picked(LoadBalancer balancer) {
    Set<Endpoint> seen = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      seen.add(balancer.pick());
    }
    return seen;
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void anEndpointTurnsUnhealthyAtTheUnhealthyThresholdAndBackAtTheHealthyOne() {
    ClusterBalancer view = view(endpoints(3), OUTLIER);
    ClusterHealth health = health(view);
    InetSocketAddress first = endpoint(1).address();

    health.probed(first, false);
    health.probed(first, false);
    assertThat(health.stateOf(first)).isEqualTo(EndpointState.HEALTHY);
    health.probed(first, false);
    assertThat(health.stateOf(first)).isEqualTo(EndpointState.UNHEALTHY);
    assertThat(picked(view)).containsExactlyInAnyOrder(endpoint(2), endpoint(3));

    health.probed(first, true);
    assertThat(health.stateOf(first)).isEqualTo(EndpointState.UNHEALTHY);
    health.probed(first, true);
    assertThat(health.stateOf(first)).isEqualTo(EndpointState.HEALTHY);
    assertThat(picked(view)).hasSize(3);
  }

  @Test
  void aPassedProbeBreaksAStreakOfFailures() {
    ClusterHealth health = health(view(endpoints(2), OUTLIER));
    InetSocketAddress first = endpoint(1).address();
    health.probed(first, false);
    health.probed(first, false);
    health.probed(first, true);
    health.probed(first, false);
    health.probed(first, false);
    assertThat(health.stateOf(first)).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void failsOpenOverEveryEndpointWhenNoneIsHealthy() {
    ClusterBalancer view = view(endpoints(2), OUTLIER);
    ClusterHealth health = health(view);
    for (int i = 0; i < 3; i++) {
      health.probed(endpoint(1).address(), false);
      health.probed(endpoint(2).address(), false);
    }
    assertThat(health.counts().get(EndpointState.UNHEALTHY)).isEqualTo(2);
    assertThat(picked(view)).containsExactlyInAnyOrder(endpoint(1), endpoint(2));
    assertThat(view.inRotation(endpoint(1))).isTrue();
  }

  @Test
  void consecutiveGatewayErrorsEjectAnEndpointAndASuccessResetsTheCount() {
    ClusterBalancer view = view(endpoints(4), OUTLIER);
    ClusterHealth health = health(view);
    Endpoint first = endpoint(1);

    view.report(first, Outcome.GATEWAY_ERROR);
    view.report(first, Outcome.GATEWAY_ERROR);
    view.report(first, Outcome.SUCCESS);
    view.report(first, Outcome.GATEWAY_ERROR);
    view.report(first, Outcome.GATEWAY_ERROR);
    assertThat(health.stateOf(first.address())).isEqualTo(EndpointState.HEALTHY);

    view.report(first, Outcome.GATEWAY_ERROR);
    assertThat(health.stateOf(first.address())).isEqualTo(EndpointState.EJECTED);
    assertThat(picked(view)).doesNotContain(first).hasSize(3);
    assertThat(view.inRotation(first)).isFalse();
    assertThat(ejections).containsExactly("ns/web:80:GATEWAY_ERROR");
  }

  @Test
  void plain5xxCountOnlyWhenConsecutive5xxIsSet() {
    ClusterHealth off = health(view(endpoints(2), OUTLIER));
    for (int i = 0; i < 10; i++) {
      off.report(endpoint(1), Outcome.SERVER_ERROR);
    }
    assertThat(off.stateOf(endpoint(1).address())).isEqualTo(EndpointState.HEALTHY);

    ClusterHealth on =
        health(
            view(
                endpoints(2),
                new OutlierPolicy(0, 2, Duration.ofSeconds(10), Duration.ofSeconds(25), 50)));
    on.report(endpoint(1), Outcome.SERVER_ERROR);
    on.report(endpoint(1), Outcome.GATEWAY_ERROR); // a gateway error is a 5xx too
    assertThat(on.stateOf(endpoint(1).address())).isEqualTo(EndpointState.EJECTED);
  }

  @Test
  void anEjectedEndpointReturnsAfterAnEjectionTimeThatGrowsWithEachRepeatUpToTheMax() {
    ClusterHealth health = health(view(endpoints(2), OUTLIER));
    Endpoint first = endpoint(1);
    List<Duration> lengths = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      eject(health, first);
      Duration ejected = Duration.ZERO;
      while (health.stateOf(first.address()) == EndpointState.EJECTED) {
        advance(Duration.ofSeconds(1));
        ejected = ejected.plusSeconds(1);
        health.sweep();
      }
      lengths.add(ejected);
    }
    assertThat(lengths)
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(25),
            Duration.ofSeconds(25));
  }

  @Test
  void theEjectionMultiplierDecaysWhileTheEndpointStaysIn() {
    ClusterHealth health = health(view(endpoints(2), OUTLIER));
    Endpoint first = endpoint(1);
    eject(health, first);
    advance(Duration.ofSeconds(10));
    health.sweep(); // back in, multiplier 1
    advance(Duration.ofSeconds(10));
    health.sweep(); // a base ejection time in rotation: multiplier 0
    eject(health, first);
    advance(Duration.ofSeconds(10));
    health.sweep();
    assertThat(health.stateOf(first.address())).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void neverEjectsMoreThanMaxEjectionPercentOfTheCluster() {
    ClusterBalancer view = view(endpoints(5), OUTLIER); // 50% of 5: at most 2
    ClusterHealth health = health(view);
    for (int i = 1; i <= 5; i++) {
      eject(health, endpoint(i));
    }
    assertThat(health.counts().get(EndpointState.EJECTED)).isEqualTo(2);
    assertThat(picked(view)).hasSize(3);
  }

  @Test
  void aClusterOfOneIsNeverEjectedUnderTheDefaultPercent() {
    ClusterHealth health = health(view(endpoints(1), OutlierPolicy.DEFAULT));
    for (int i = 0; i < 20; i++) {
      health.report(endpoint(1), Outcome.GATEWAY_ERROR);
    }
    assertThat(health.stateOf(endpoint(1).address())).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void disabledOutlierDetectionEjectsNothing() {
    ClusterHealth health = health(view(endpoints(2), OutlierPolicy.DISABLED));
    for (int i = 0; i < 20; i++) {
      health.report(endpoint(1), Outcome.GATEWAY_ERROR);
    }
    assertThat(health.stateOf(endpoint(1).address())).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void aNewSnapshotKeepsTheStateOfEndpointsItStillListsAndDropsTheOthers() {
    ClusterHealth health = health(view(endpoints(3), OUTLIER));
    for (int i = 0; i < 3; i++) {
      health.probed(endpoint(1).address(), false);
    }
    eject(health, endpoint(2));

    ClusterBalancer next = view(List.of(endpoint(1), endpoint(2), endpoint(4)), OUTLIER);
    health.update(next);
    next.bind(health);

    assertThat(health.stateOf(endpoint(1).address())).isEqualTo(EndpointState.UNHEALTHY);
    assertThat(health.stateOf(endpoint(2).address())).isEqualTo(EndpointState.EJECTED);
    assertThat(health.stateOf(endpoint(3).address())).isNull();
    assertThat(health.stateOf(endpoint(4).address())).isEqualTo(EndpointState.HEALTHY);
    assertThat(picked(next)).containsExactly(endpoint(4));
  }

  @Test
  void unboundViewsPickFromEveryEndpoint() {
    ClusterBalancer view = view(endpoints(3), OUTLIER);
    view.report(endpoint(1), Outcome.GATEWAY_ERROR); // nothing to report to: ignored
    assertThat(picked(view)).hasSize(3);
  }

  @Test
  void tokensAreStableOpaqueAndDistinct() {
    String token = ClusterBalancer.tokenOf(endpoint(1));
    assertThat(token).hasSize(16).doesNotContain("127");
    assertThat(ClusterBalancer.tokenOf(endpoint(1))).isEqualTo(token);
    assertThat(ClusterBalancer.tokenOf(endpoint(2))).isNotEqualTo(token);
    assertThat(view(endpoints(2), OUTLIER).endpointOf(token)).isEqualTo(endpoint(1));
  }

  private static void eject(ClusterHealth health, Endpoint endpoint) {
    for (int i = 0; i < OUTLIER.consecutiveGatewayErrors(); i++) {
      health.report(endpoint, Outcome.GATEWAY_ERROR);
    }
  }
}
