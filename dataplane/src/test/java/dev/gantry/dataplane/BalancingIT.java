package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.HashPolicy;
import dev.gantry.protocol.v1.LbPolicy;
import dev.gantry.protocol.v1.Route;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Balancing policies chosen by the snapshot, through real sockets to real backends. */
class BalancingIT {
  private final List<TestBackend> backends =
      List.of(TestBackend.start("a"), TestBackend.start("b"), TestBackend.start("c"));
  private DataplaneFixture fixture;

  @BeforeEach
  void start() {
    fixture = DataplaneFixture.start();
  }

  @AfterEach
  void stop() {
    fixture.close();
    backends.forEach(TestBackend::close);
  }

  private void serve(LbPolicy policy, HashPolicy hash) {
    Cluster web =
        cluster(
                "web",
                backends.stream()
                    .map(TestBackend::address)
                    .toArray(java.net.InetSocketAddress[]::new))
            .toBuilder()
            .setLbPolicy(policy)
            .build();
    Route route = prefix("all", "/", "web").toBuilder().addHashPolicy(hash).build();
    fixture.apply(
        snapshot(1, List.of(host("web", List.of("web.example.com"), route)), List.of(web)));
  }

  private String backendFor(String user) {
    return fixture
        .send(fixture.request("web.example.com", "/").header("X-User", user).GET().build())
        .headers()
        .firstValue("X-Backend")
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(
      value = LbPolicy.class,
      names = {"LB_POLICY_RING_HASH", "LB_POLICY_MAGLEV"})
  void consistentHashingKeepsAUserOnOneBackendAndSpreadsUsers(LbPolicy policy) {
    serve(policy, HashPolicy.newBuilder().setHeader("x-user").build());
    Set<String> used = new HashSet<>();
    for (int user = 0; user < 30; user++) {
      String first = backendFor("user-" + user);
      for (int again = 0; again < 3; again++) {
        assertThat(backendFor("user-" + user)).as("user-%d again", user).isEqualTo(first);
      }
      used.add(first);
    }
    assertThat(used).as("30 users over 3 backends").hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(
      value = LbPolicy.class,
      names = {"LB_POLICY_RANDOM", "LB_POLICY_LEAST_REQUEST"})
  void otherPoliciesUseEveryBackend(LbPolicy policy) {
    serve(policy, HashPolicy.newBuilder().setHeader("x-user").build());
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 60 && used.size() < 3; i++) {
      used.add(backendFor("same-user"));
    }
    assertThat(used).hasSize(3);
  }
}
