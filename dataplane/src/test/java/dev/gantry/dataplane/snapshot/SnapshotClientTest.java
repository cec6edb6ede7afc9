package dev.gantry.dataplane.snapshot;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.testing.FakeControlPlane;
import dev.gantry.protocol.v1.Hello;
import dev.gantry.protocol.v1.Snapshot;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotClientTest {

  private final FakeControlPlane controlPlane = new FakeControlPlane().start();
  private final ManagedChannel channel = controlPlane.newChannel();
  private final RoutingTableHolder tables = new RoutingTableHolder();
  private final SnapshotClient client =
      new SnapshotClient(
          channel,
          new SnapshotClientConfig(
              "node-1", "build-7", Duration.ofMillis(10), Duration.ofMillis(100)),
          tables,
          new SimpleMeterRegistry());

  private static Snapshot forwardingTo(long version, String cluster) {
    return snapshot(
        version,
        List.of(host("web", List.of("web.example.com"), prefix("r", "/", cluster))),
        List.of(cluster("web", new InetSocketAddress("127.0.0.1", 8080))));
  }

  @BeforeEach
  void start() {
    client.start();
    await().until(() -> controlPlane.openStreams() == 1);
  }

  @AfterEach
  void stop() {
    client.close();
    channel.shutdownNow();
    controlPlane.close();
  }

  @Test
  void saysHelloWithItsNameBuildAndNoDigestFirst() {
    assertThat(controlPlane.hellos())
        .containsExactly(
            Hello.newBuilder().setNodeId("node-1").setBuild("build-7").setHeldDigest("").build());
  }

  @Test
  void acknowledgesAppliedSnapshotsAndRefusesInvalidOnes() {
    Snapshot v1 = forwardingTo(1, "web");
    Snapshot v2 = forwardingTo(2, "nowhere");

    controlPlane.push(v1);
    await().until(() -> controlPlane.acks().size() == 1);
    controlPlane.push(v2);
    await().until(() -> controlPlane.nacks().size() == 1);

    assertThat(controlPlane.acks().get(0).getVersion()).isEqualTo(1);
    assertThat(controlPlane.acks().get(0).getDigest()).isEqualTo(v1.getDigest());
    assertThat(controlPlane.nacks().get(0).getVersion()).isEqualTo(2);
    assertThat(controlPlane.nacks().get(0).getDigest()).isEqualTo(v2.getDigest());
    assertThat(controlPlane.nacks().get(0).getReason())
        .contains("forwards to unknown cluster nowhere");
    assertThat(tables.current().version()).isEqualTo(1);
  }

  @Test
  void reconnectsAfterTheStreamFailsAndSaysWhichDigestItHolds() {
    Snapshot v1 = forwardingTo(1, "web");
    controlPlane.push(v1);
    await().until(() -> controlPlane.acks().size() == 1);

    controlPlane.failStreams();

    await().until(() -> controlPlane.hellos().size() == 2);
    assertThat(controlPlane.hellos().get(1).getHeldDigest()).isEqualTo(v1.getDigest());
    assertThat(tables.current().version()).isEqualTo(1);
  }

  @Test
  void reconnectsWhenTheControlPlaneComesBack() {
    controlPlane.stop();
    controlPlane.start();

    await().until(() -> controlPlane.hellos().size() == 2);
  }

  @Test
  void stopsStreamingOnceClosed() {
    client.close();

    await().until(() -> controlPlane.openStreams() == 0);
    controlPlane.push(forwardingTo(1, "web"));
    assertThat(controlPlane.acks()).isEmpty();
    assertThat(tables.current().version()).isZero();
  }
}
