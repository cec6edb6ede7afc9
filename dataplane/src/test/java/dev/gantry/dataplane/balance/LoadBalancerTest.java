package dev.gantry.dataplane.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {

  private static Endpoint endpoint(int port, int weight) {
    return new Endpoint(new InetSocketAddress("127.0.0.1", port), weight);
  }

  private static List<Integer> ports(LoadBalancer balancer, int picks) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < picks; i++) {
      ports.add(balancer.pick().address().getPort());
    }
    return ports;
  }

  @Test
  void roundRobinVisitsEachEndpointInTurn() {
    LoadBalancer balancer =
        LoadBalancer.roundRobin(List.of(endpoint(1, 1), endpoint(2, 1), endpoint(3, 1)));

    assertThat(ports(balancer, 7)).containsExactly(1, 2, 3, 1, 2, 3, 1);
  }

  @Test
  void weightedRoundRobinPicksInProportionAndInterleaves() {
    LoadBalancer balancer =
        LoadBalancer.roundRobin(List.of(endpoint(1, 5), endpoint(2, 1), endpoint(3, 1)));

    // nginx's smooth weighted round robin sequence for weights 5, 1, 1
    assertThat(ports(balancer, 14)).containsExactly(1, 1, 2, 1, 3, 1, 1, 1, 1, 2, 1, 3, 1, 1);
  }

  @Test
  void emptyBalancerPicksNothing() {
    LoadBalancer balancer = LoadBalancer.roundRobin(List.of());

    assertThat(balancer.pick()).isNull();
    assertThat(balancer.endpoints()).isEmpty();
  }

  @Test
  void concurrentPicksStillShareEvenly() throws InterruptedException {
    LoadBalancer balancer = LoadBalancer.roundRobin(List.of(endpoint(1, 1), endpoint(2, 1)));
    Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(4);
    for (int t = 0; t < 4; t++) {
      Thread.ofPlatform()
          .start(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  counts
                      .computeIfAbsent(
                          balancer.pick().address().getPort(), p -> new AtomicInteger())
                      .incrementAndGet();
                }
                done.countDown();
              });
    }
    done.await();

    assertThat(counts.get(1).get()).isEqualTo(20_000);
    assertThat(counts.get(2).get()).isEqualTo(20_000);
  }
}
