package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.ir.ObjectRef;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the compiler made of one object at one generation: why it was not accepted (if it was not),
 * which of its references did not resolve, and which of its TLS backends are spoken to without
 * checking their certificates. An accepted object is in the route graph, even with unresolved
 * references (those rules answer 503).
 *
 * @param unverifiedBackends clusters the object asked to reach over TLS with {@code
 *     insecureSkipVerify}, sorted
 */
public record ObjectReport(
    ObjectRef ref,
    long generation,
    Optional<Problem> rejection,
    List<Problem> unresolvedRefs,
    List<String> unverifiedBackends) {
  public ObjectReport {
    requireNonNull(ref, "ref");
    requireNonNull(rejection, "rejection");
    unresolvedRefs = List.copyOf(requireNonNull(unresolvedRefs, "unresolvedRefs"));
    unverifiedBackends = List.copyOf(requireNonNull(unverifiedBackends, "unverifiedBackends"));
  }

  public ObjectReport(
      ObjectRef ref, long generation, Optional<Problem> rejection, List<Problem> unresolvedRefs) {
    this(ref, generation, rejection, unresolvedRefs, List.of());
  }

  public static ObjectReport accepted(
      ObjectRef ref, long generation, List<Problem> unresolvedRefs) {
    return new ObjectReport(ref, generation, Optional.empty(), unresolvedRefs);
  }

  /** An accepted object, some of whose TLS backends go unverified. */
  public static ObjectReport accepted(
      ObjectRef ref,
      long generation,
      List<Problem> unresolvedRefs,
      Collection<String> unverifiedBackends) {
    return new ObjectReport(
        ref,
        generation,
        Optional.empty(),
        unresolvedRefs,
        unverifiedBackends.stream().sorted().distinct().toList());
  }

  public static ObjectReport rejected(ObjectRef ref, long generation, Problem problem) {
    return new ObjectReport(ref, generation, Optional.of(problem), List.of());
  }

  public boolean isAccepted() {
    return rejection.isEmpty();
  }
}
