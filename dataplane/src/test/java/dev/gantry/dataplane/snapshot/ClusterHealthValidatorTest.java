package dev.gantry.dataplane.snapshot;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.direct;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.gantry.dataplane.routing.RoutingTable;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.HealthCheck;
import dev.gantry.protocol.v1.OutlierDetection;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.SessionPersistence;
import dev.gantry.protocol.v1.Snapshot;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ClusterHealthValidatorTest {
  private static final Duration SECOND = Duration.newBuilder().setSeconds(1).build();
  private static final HealthCheck CHECK =
      HealthCheck.newBuilder()
          .setPath("/healthz")
          .setInterval(SECOND)
          .setTimeout(SECOND)
          .setHealthyThreshold(1)
          .setUnhealthyThreshold(1)
          .build();
  private static final OutlierDetection OUTLIER =
      OutlierDetection.newBuilder()
          .setConsecutiveGatewayErrors(5)
          .setBaseEjectionTime(SECOND)
          .setMaxEjectionTime(SECOND)
          .setMaxEjectionPercent(50)
          .build();

  private static Snapshot with(UnaryOperator<Cluster.Builder> cluster, Route route) {
    Cluster web =
        cluster.apply(cluster("web", new InetSocketAddress("10.0.0.1", 8080)).toBuilder()).build();
    return snapshot(1, List.of(host("web", List.of("web.example.com"), route)), List.of(web));
  }

  private static List<String> problems(UnaryOperator<Cluster.Builder> cluster) {
    return SnapshotValidator.problems(with(cluster, prefix("all", "/", "web")));
  }

  private static List<String> problems(SessionPersistence.Builder session) {
    return SnapshotValidator.problems(
        with(c -> c, prefix("all", "/", "web").toBuilder().setSessionPersistence(session).build()));
  }

  @Test
  void acceptsWhatTheDataplaneCanApplyAndBuildsItsTable() {
    Snapshot snapshot =
        with(
            c -> c.setHealthCheck(CHECK).setOutlierDetection(OUTLIER),
            prefix("all", "/", "web").toBuilder()
                .setSessionPersistence(SessionPersistence.newBuilder().setCookieName("s"))
                .build());
    assertThat(SnapshotValidator.problems(snapshot)).isEmpty();
    assertThat(RoutingTable.from(snapshot).clusters()).hasSize(1);
  }

  @Test
  void refusesHealthChecksItCannotRun() {
    assertThat(
            problems(
                c ->
                    c.setHealthCheck(CHECK.toBuilder().setInterval(Duration.getDefaultInstance()))))
        .containsExactly("cluster web health_check has interval PT0S (expected: > 0)");
    assertThat(problems(c -> c.setHealthCheck(CHECK.toBuilder().setHealthyThreshold(0))))
        .containsExactly("cluster web health_check has healthy_threshold 0 (expected: >= 1)");
    assertThat(problems(c -> c.setHealthCheck(CHECK.toBuilder().setUnhealthyThreshold(0))))
        .containsExactly("cluster web health_check has unhealthy_threshold 0 (expected: >= 1)");
    assertThat(problems(c -> c.setHealthCheck(CHECK.toBuilder().setPath("healthz"))))
        .containsExactly(
            "cluster web health_check has path \"healthz\" (expected: an origin-form path like"
                + " /healthz)");
    assertThat(
            problems(
                c ->
                    c.setHealthCheck(
                        CHECK.toBuilder().setExpectedStatusMin(300).setExpectedStatusMax(200))))
        .hasSize(1)
        .allMatch(p -> p.contains("expects statuses 300..200"));
  }

  @Test
  void refusesOutlierDetectionItCannotApply() {
    assertThat(problems(c -> c.setOutlierDetection(OUTLIER.toBuilder().setMaxEjectionPercent(101))))
        .containsExactly(
            "cluster web outlier_detection has max_ejection_percent 101 (expected: 0..100)");
    assertThat(
            problems(
                c ->
                    c.setOutlierDetection(
                        OUTLIER.toBuilder().setBaseEjectionTime(Duration.getDefaultInstance()))))
        .hasSize(1)
        .allMatch(p -> p.contains("base_ejection_time PT0S"));
    assertThat(
            problems(
                c ->
                    c.setOutlierDetection(
                        OUTLIER.toBuilder()
                            .setBaseEjectionTime(Duration.newBuilder().setSeconds(10))
                            .build())))
        .hasSize(1)
        .allMatch(p -> p.contains("max_ejection_time PT1S (expected: >= base_ejection_time)"));
  }

  @Test
  void acceptsOutlierDetectionTurnedOff() {
    assertThat(problems(c -> c.setOutlierDetection(OutlierDetection.getDefaultInstance())))
        .isEmpty();
  }

  @Test
  void refusesSessionPersistenceItCannotIssue() {
    assertThat(problems(SessionPersistence.newBuilder()))
        .containsExactly(
            "route all of virtual host web session_persistence has cookie_name \"\" (expected: a"
                + " cookie name)");
    assertThat(problems(SessionPersistence.newBuilder().setCookieName("s").setPermanent(true)))
        .containsExactly(
            "route all of virtual host web session_persistence is permanent without an"
                + " absolute_timeout (expected: >= 1s, its Max-Age)");
    Route direct =
        direct("d", "/", 200, "ok").toBuilder()
            .setSessionPersistence(SessionPersistence.newBuilder().setCookieName("s"))
            .build();
    assertThat(SnapshotValidator.problems(with(c -> c, direct)))
        .containsExactly(
            "route d of virtual host web session_persistence is set on a route that does not"
                + " forward");
  }
}
