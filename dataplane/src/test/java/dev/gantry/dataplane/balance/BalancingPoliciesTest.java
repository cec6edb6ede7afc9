package dev.gantry.dataplane.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BalancingPoliciesTest {
  private static final int KEYS = 20_000;

  private static Endpoint endpoint(int i, int weight) {
    return new Endpoint(new InetSocketAddress("10.0.0." + i, 8080), weight);
  }

  private static List<Endpoint> endpoints(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> endpoint(i, 1)).toList();
  }

  private static Function<List<Endpoint>, LoadBalancer> policy(String name) {
    return switch (name) {
      case "ring" -> LoadBalancer::ringHash;
      case "maglev" -> LoadBalancer::maglev;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Returns each key's endpoint. */
  private static Map<Integer, Endpoint> assign(LoadBalancer lb) {
    Map<Integer, Endpoint> out = new HashMap<>();
    for (int k = 0; k < KEYS; k++) {
      out.put(k, lb.pick(KeyHash.of("session-" + k)));
    }
    return out;
  }

  private static Map<Endpoint, Integer> shares(Map<Integer, Endpoint> assignment) {
    Map<Endpoint, Integer> out = new HashMap<>();
    assignment.values().forEach(e -> out.merge(e, 1, Integer::sum));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ring", "maglev"})
  void consistentHashingSendsAKeyToTheSameEndpointEveryTime(String name) {
    LoadBalancer lb = policy(name).apply(endpoints(5));
    long hash = KeyHash.of("user-42");
    Endpoint first = lb.pick(hash);
    for (int i = 0; i < 100; i++) {
      assertThat(lb.pick(hash)).isEqualTo(first);
    }
    assertThat(policy(name).apply(endpoints(5)).pick(hash))
        .as("a rebuilt balancer")
        .isEqualTo(first);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ring", "maglev"})
  void consistentHashingSpreadsKeysEvenly(String name) {
    Map<Endpoint, Integer> shares = shares(assign(policy(name).apply(endpoints(4))));
    assertThat(shares).hasSize(4);
    shares.values().forEach(s -> assertThat(s / (double) KEYS).isCloseTo(0.25, within(0.07)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ring", "maglev"})
  void removingAnEndpointMovesLittleMoreThanItsOwnKeys(String name) {
    Map<Integer, Endpoint> before = assign(policy(name).apply(endpoints(5)));
    Endpoint gone = endpoint(3, 1);
    Map<Integer, Endpoint> after =
        assign(policy(name).apply(endpoints(5).stream().filter(e -> !e.equals(gone)).toList()));
    long moved =
        before.keySet().stream()
            .filter(k -> !before.get(k).equals(gone) && !before.get(k).equals(after.get(k)))
            .count();
    // Keys of the surviving endpoints stay put (Maglev allows a small disruption).
    assertThat(moved / (double) KEYS).isLessThan(0.05);
    assertThat(after.values()).doesNotContain(gone);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ring", "maglev"})
  void consistentHashingHonoursWeights(String name) {
    Endpoint heavy = endpoint(1, 3);
    Map<Endpoint, Integer> shares =
        shares(assign(policy(name).apply(List.of(heavy, endpoint(2, 1)))));
    assertThat(shares.get(heavy) / (double) KEYS).isCloseTo(0.75, within(0.07));
  }

  @Test
  void randomPicksInProportionToWeight() {
    Endpoint heavy = endpoint(1, 4);
    LoadBalancer lb = LoadBalancer.random(List.of(heavy, endpoint(2, 1)));
    long heavyPicks = IntStream.range(0, KEYS).filter(i -> lb.pick().equals(heavy)).count();
    assertThat(heavyPicks / (double) KEYS).isCloseTo(0.8, within(0.03));
  }

  @Test
  void leastRequestAvoidsTheBusierEndpoint() {
    Endpoint a = endpoint(1, 1);
    Endpoint b = endpoint(2, 1);
    LeastRequestLoadBalancer lb = new LeastRequestLoadBalancer(List.of(a, b));
    for (int i = 0; i < 4; i++) {
      // With two endpoints both are always drawn, so each pick goes to the less busy one.
      lb.pick();
    }
    assertThat(lb.active(a)).isEqualTo(2);
    assertThat(lb.active(b)).isEqualTo(2);

    lb.completed(a);
    lb.completed(a);
    assertThat(lb.pick()).isEqualTo(a);
    assertThat(lb.pick()).isEqualTo(a);
    assertThat(lb.active(a)).isEqualTo(2);
  }

  @Test
  void leastRequestWeighsRequestsInFlightByEndpointWeight() {
    Endpoint big = endpoint(1, 3);
    LeastRequestLoadBalancer lb = new LeastRequestLoadBalancer(List.of(big, endpoint(2, 1)));
    for (int i = 0; i < 8; i++) {
      lb.pick();
    }
    assertThat(lb.active(big)).isEqualTo(6);
  }

  @Test
  void everyPolicyAnswersNullForAClusterWithoutEndpoints() {
    for (LoadBalancer lb :
        List.of(
            LoadBalancer.random(List.of()),
            LoadBalancer.leastRequest(List.of()),
            LoadBalancer.ringHash(List.of()),
            LoadBalancer.maglev(List.of()))) {
      assertThat(lb.pick()).isNull();
      assertThat(lb.pick(KeyHash.of("k"))).isNull();
    }
  }

  @Test
  void keyHashIsStableAcrossRuns() {
    // Pinned: every dataplane must map a key to the same endpoint, release after release.
    assertThat(KeyHash.of("")).isEqualTo(KeyHash.mix(0xcbf29ce484222325L));
    assertThat(KeyHash.of("user-42")).isEqualTo(KeyHash.of(new StringBuilder("user-42")));
    assertThat(KeyHash.of("user-42")).isNotEqualTo(KeyHash.of("user-43"));
  }
}
