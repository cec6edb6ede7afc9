package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.dataplane.testing.TestBackend;
import dev.gantry.protocol.v1.Snapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin port as Kubernetes probes, Prometheus and an operator's person see it. */
class AdminIT {

  private final TestBackend backend = TestBackend.start("a");
  private final DataplaneFixture fixture = DataplaneFixture.start();

  @AfterEach
  void tearDown() {
    fixture.close();
    backend.close();
  }

  private Snapshot applySnapshot() throws IOException {
    InetSocketAddress refused;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refused = (InetSocketAddress) socket.getLocalSocketAddress();
    }
    Snapshot snapshot =
        snapshot(
            4,
            List.of(
                host(
                    "shop",
                    List.of("shop.example.com"),
                    prefix("gone", "/gone", "gone"),
                    prefix("all", "/", "a"))),
            List.of(cluster("a", backend.address()), cluster("gone", refused)));
    fixture.apply(snapshot);
    return snapshot;
  }

  @Test
  void isLiveButNotReadyBeforeTheFirstSnapshot() {
    assertThat(fixture.admin("/live").statusCode()).isEqualTo(200);
    assertThat(fixture.admin("/ready").statusCode()).isEqualTo(503);
    assertThat(fixture.admin("/snapshot").body())
        .isEqualTo(
            "{\"version\":0,\"digest\":\"\",\"virtualHosts\":0,\"routes\":0,\"clusters\":0,\"endpoints\":0}");
  }

  @Test
  void isReadyAndDescribesTheSnapshotOnceOneIsApplied() throws IOException {
    Snapshot snapshot = applySnapshot();

    assertThat(fixture.admin("/ready").statusCode()).isEqualTo(200);
    HttpResponse<String> described = fixture.admin("/snapshot");
    assertThat(described.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(described.body())
        .isEqualTo(
            "{\"version\":4,\"digest\":\""
                + snapshot.getDigest()
                + "\",\"virtualHosts\":1,\"routes\":2,\"clusters\":2,\"endpoints\":2}");
  }

  @Test
  void countsRequestsUpstreamErrorsAndSnapshotsInPrometheusFormat() throws IOException {
    applySnapshot();
    fixture.get("shop.example.com", "/");
    fixture.get("nowhere.example.com", "/");
    fixture.get("shop.example.com", "/gone");

    String metrics = fixture.admin("/metrics").body();

    assertThat(metrics)
        .contains(
            "gantry_dataplane_requests_total{status_class=\"2xx\"} 1.0",
            "gantry_dataplane_requests_total{status_class=\"4xx\"} 1.0",
            "gantry_dataplane_requests_total{status_class=\"5xx\"} 1.0",
            // one per attempt: the default policy retries a failed connect once
            "gantry_dataplane_upstream_errors_total{kind=\"connect_refused\"} 2.0",
            "gantry_dataplane_snapshots_applied_total 1.0",
            "gantry_dataplane_snapshots_rejected_total 0.0",
            "gantry_dataplane_snapshot_version 4.0",
            "gantry_dataplane_snapshot_age_seconds ",
            "gantry_dataplane_snapshot_applied_timestamp_seconds ",
            "gantry_dataplane_control_plane_connected 1.0",
            "gantry_dataplane_downstream_connections_active ");
  }
}
