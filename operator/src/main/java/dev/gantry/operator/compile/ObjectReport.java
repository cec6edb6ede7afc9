package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.ir.ObjectRef;
import java.util.List;
import java.util.Optional;

/**
 * What the compiler made of one object at one generation: why it was not accepted (if it was not),
 * and which of its references did not resolve. An accepted object is in the route graph, even with
 * unresolved references (those rules answer 503).
 */
public record ObjectReport(
    ObjectRef ref, long generation, Optional<Problem> rejection, List<Problem> unresolvedRefs) {
  public ObjectReport {
    requireNonNull(ref, "ref");
    requireNonNull(rejection, "rejection");
    unresolvedRefs = List.copyOf(requireNonNull(unresolvedRefs, "unresolvedRefs"));
  }

  public static ObjectReport accepted(
      ObjectRef ref, long generation, List<Problem> unresolvedRefs) {
    return new ObjectReport(ref, generation, Optional.empty(), unresolvedRefs);
  }

  public static ObjectReport rejected(ObjectRef ref, long generation, Problem problem) {
    return new ObjectReport(ref, generation, Optional.of(problem), List.of());
  }

  public boolean isAccepted() {
    return rejection.isEmpty();
  }
}
