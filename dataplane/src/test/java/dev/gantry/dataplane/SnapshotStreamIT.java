package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.testing.RawHttp;
import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.Snapshot;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots arriving, being refused, and the operator going away, as clients of the proxy see them.
 */
class SnapshotStreamIT {

  private final TestBackend a = TestBackend.start("a");
  private final TestBackend b = TestBackend.start("b");
  private final DataplaneFixture fixture = DataplaneFixture.start();

  @AfterEach
  void tearDown() {
    fixture.close();
    a.close();
    b.close();
  }

  /** Returns a snapshot sending shop.example.com to {@code cluster}. */
  private Snapshot shopTo(long version, String cluster) {
    return snapshot(
        version,
        List.of(host("shop", List.of("shop.example.com"), prefix("all", "/", cluster))),
        List.of(cluster("a", a.address()), cluster("b", b.address())));
  }

  private String backendServingShop() {
    return fixture.get("shop.example.com", "/").headers().firstValue("x-backend").orElse("none");
  }

  @Test
  void saysHelloThenAcknowledgesAndServesEachSnapshot() {
    Snapshot v1 = shopTo(1, "a");

    fixture.apply(v1);

    assertThat(fixture.controlPlane.hellos()).hasSize(1);
    assertThat(fixture.controlPlane.hellos().get(0).getNodeId()).isEqualTo("test-node");
    assertThat(fixture.controlPlane.hellos().get(0).getBuild()).isEqualTo("test-build");
    assertThat(fixture.controlPlane.hellos().get(0).getHeldDigest()).isEmpty();
    assertThat(fixture.controlPlane.acks().get(0).getDigest()).isEqualTo(v1.getDigest());
    assertThat(fixture.dataplane.currentVersion()).isEqualTo(1);
    assertThat(backendServingShop()).isEqualTo("a");
  }

  @Test
  void keepsAKeepAliveConnectionWorkingAcrossASnapshotSwap() throws IOException {
    fixture.apply(shopTo(1, "a"));
    try (RawHttp connection = RawHttp.connect(fixture.dataplane.httpPort())) {
      RawHttp.Response before = connection.get("shop.example.com", "/");

      fixture.apply(shopTo(2, "b"));
      RawHttp.Response after = connection.get("shop.example.com", "/");

      assertThat(before.headers()).containsEntry("x-backend", "a");
      assertThat(after.headers())
          .containsEntry("x-backend", "b")
          .doesNotContainEntry("connection", "close");
      assertThat(connection.get("shop.example.com", "/").headers()).containsEntry("x-backend", "b");
    }
  }

  @Test
  void keepsTheOldRoutingWhenASnapshotIsRefused() {
    fixture.apply(shopTo(1, "a"));

    Snapshot broken = shopTo(2, "missing");
    fixture.controlPlane.push(broken);
    await().until(() -> !fixture.controlPlane.nacks().isEmpty());

    assertThat(fixture.controlPlane.nacks().get(0).getVersion()).isEqualTo(2);
    assertThat(fixture.controlPlane.nacks().get(0).getDigest()).isEqualTo(broken.getDigest());
    assertThat(fixture.controlPlane.nacks().get(0).getReason())
        .contains("forwards to unknown cluster missing");
    assertThat(fixture.dataplane.currentVersion()).isEqualTo(1);
    assertThat(backendServingShop()).isEqualTo("a");
  }

  @Test
  void keepsServingTheLastGoodSnapshotWhileTheOperatorIsAway() {
    fixture.apply(shopTo(1, "a"));

    fixture.controlPlane.stop();

    for (int i = 0; i < 3; i++) {
      assertThat(backendServingShop()).isEqualTo("a");
    }
    assertThat(fixture.dataplane.currentVersion()).isEqualTo(1);
  }

  @Test
  void reconnectsWithTheHeldDigestAndTakesTheNewestSnapshot() {
    Snapshot v1 = shopTo(1, "a");
    fixture.apply(v1);
    fixture.controlPlane.stop();

    fixture.controlPlane.push(shopTo(2, "b")); // what the restarted operator will send first
    fixture.controlPlane.start();

    await().until(() -> fixture.controlPlane.hellos().size() == 2);
    assertThat(fixture.controlPlane.hellos().get(1).getHeldDigest()).isEqualTo(v1.getDigest());
    await().until(() -> fixture.dataplane.currentVersion() == 2);
    assertThat(backendServingShop()).isEqualTo("b");
  }

  @Test
  void reconnectsAfterTheStreamBreaks() {
    Snapshot v1 = shopTo(1, "a");
    fixture.apply(v1);

    fixture.controlPlane.failStreams();

    await().until(() -> fixture.controlPlane.hellos().size() == 2);
    assertThat(fixture.controlPlane.hellos().get(1).getHeldDigest()).isEqualTo(v1.getDigest());
    assertThat(backendServingShop()).isEqualTo("a");
  }
}
