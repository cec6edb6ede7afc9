package dev.gantry.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.compile.Problem;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.snapshot.DataplaneRegistry.Dataplane;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusWakeUpsTest {

  private static final ObjectRef OLD = new ObjectRef("ProxyRoute", "shop", "old");
  private static final ObjectRef NEW = new ObjectRef("ProxyRoute", "shop", "new");
  private static final ObjectRef BAD = new ObjectRef("ProxyRoute", "shop", "bad");

  private final StatusWakeUps wakeUps = new StatusWakeUps();
  private final Map<ObjectRef, ObjectReport> reports =
      Map.of(
          OLD, ObjectReport.accepted(OLD, 1, List.of()),
          NEW, ObjectReport.accepted(NEW, 4, List.of()),
          BAD, ObjectReport.rejected(BAD, 2, new Problem("Invalid", "no")));

  /** OLD was first served in version 3, NEW in version 7, BAD never. */
  private static OptionalLong firstVersion(ObjectRef ref, long generation) {
    return ref.equals(OLD)
        ? OptionalLong.of(3)
        : ref.equals(NEW) ? OptionalLong.of(7) : OptionalLong.empty();
  }

  private static Dataplane dataplane(String stream, long acked) {
    return new Dataplane(stream, "node-" + stream, acked, Optional.empty());
  }

  private List<ObjectRef> after(Dataplane... dataplanes) {
    return wakeUps.afterDataplanes(List.of(dataplanes), reports, StatusWakeUpsTest::firstVersion);
  }

  @Test
  void aCompileWakesTheObjectsWhoseReportChanged() {
    assertThat(wakeUps.afterCompile(reports)).containsExactlyInAnyOrder(OLD, NEW, BAD);
    assertThat(wakeUps.afterCompile(reports)).isEmpty();

    Map<ObjectRef, ObjectReport> next =
        Map.of(
            OLD, reports.get(OLD),
            NEW, ObjectReport.accepted(NEW, 5, List.of()),
            BAD, reports.get(BAD));
    assertThat(wakeUps.afterCompile(next)).containsExactly(NEW);
  }

  @Test
  void anAckWakesOnlyTheObjectsNotYetServedEverywhere() {
    assertThat(after(dataplane("a", 7), dataplane("b", 3)))
        .as("a new set of dataplanes: everyone")
        .containsExactlyInAnyOrder(OLD, NEW, BAD);

    // b catches up: OLD was ACKed by both already (3 <= min 3); NEW was waiting for b.
    assertThat(after(dataplane("a", 7), dataplane("b", 7))).containsExactlyInAnyOrder(NEW, BAD);

    // Nothing new to ACK: only objects never served may still change.
    assertThat(after(dataplane("a", 8), dataplane("b", 8))).containsExactly(BAD);
  }

  @Test
  void aDataplaneLeavingWakesEveryone() {
    after(dataplane("a", 7), dataplane("b", 7));

    assertThat(after(dataplane("a", 7))).containsExactlyInAnyOrder(OLD, NEW, BAD);
  }
}
