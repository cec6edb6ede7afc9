package dev.gantry.operator.status;

import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.snapshot.DataplaneRegistry.Dataplane;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Picks the objects whose conditions a compile or a dataplane's answer may have changed, so that
 * the status reconciler is woken for those and not for every route each time: with 10,000 routes,
 * waking all of them for each snapshot and each dataplane's ACK cost more than the compile.
 *
 * <ul>
 *   <li>A compile changes the conditions of the objects whose report changed (or is new).
 *   <li>A dataplane's answer changes only {@code Programmed}, and only of the objects whose first
 *       snapshot holding their generation some dataplane had not yet ACKed; when the set of
 *       dataplanes changes, it changes every object's ("served by N dataplanes").
 * </ul>
 *
 * <p>Thread-safe.
 */
final class StatusWakeUps {
  private Map<ObjectRef, ObjectReport> lastReports = Map.of();
  private Set<String> lastNodes = Set.of();
  private long lastMinAcked = -1;

  /** Returns the objects whose report differs from the previous compile's. */
  synchronized List<ObjectRef> afterCompile(Map<ObjectRef, ObjectReport> reports) {
    List<ObjectRef> changed = new ArrayList<>();
    reports.forEach(
        (ref, report) -> {
          if (!report.equals(lastReports.get(ref))) {
            changed.add(ref);
          }
        });
    lastReports = new HashMap<>(reports);
    return changed;
  }

  /**
   * Returns the objects whose {@code Programmed} may differ now that the dataplanes are {@code
   * dataplanes}; {@code firstVersion} tells which snapshot first held an object's generation.
   */
  synchronized List<ObjectRef> afterDataplanes(
      List<Dataplane> dataplanes,
      Map<ObjectRef, ObjectReport> reports,
      BiFunction<ObjectRef, Long, OptionalLong> firstVersion) {
    Set<String> nodes = dataplanes.stream().map(Dataplane::streamId).collect(Collectors.toSet());
    long minAcked = dataplanes.stream().mapToLong(Dataplane::ackedVersion).min().orElse(0);
    // Objects first held at or below this version were ACKed everywhere before and still are.
    long settled = nodes.equals(lastNodes) ? lastMinAcked : -1;
    lastNodes = nodes;
    lastMinAcked = minAcked;
    List<ObjectRef> woken = new ArrayList<>();
    reports.forEach(
        (ref, report) -> {
          OptionalLong first = firstVersion.apply(ref, report.generation());
          if (first.isEmpty() || first.getAsLong() > settled) {
            woken.add(ref);
          }
        });
    return woken;
  }
}
