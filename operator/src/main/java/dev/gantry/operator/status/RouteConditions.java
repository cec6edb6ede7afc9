package dev.gantry.operator.status;

import dev.gantry.operator.compile.CertificateProblems;
import dev.gantry.operator.compile.ClaimConflicts;
import dev.gantry.operator.compile.IncludeProblems;
import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.compile.Problem;
import dev.gantry.operator.snapshot.DataplaneRegistry.Dataplane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Computes a route's conditions from what the compiler reported and what the dataplanes answered.
 * Pure; {@code lastTransitionTime} is filled in by the caller, which knows the previous conditions.
 */
final class RouteConditions {
  static final String ACCEPTED = "Accepted";
  static final String RESOLVED_REFS = "ResolvedRefs";
  static final String PROGRAMMED = "Programmed";
  static final String BACKEND_TLS_VERIFIED = "BackendTLSVerified";

  private RouteConditions() {}

  /** Conditions of a route that asks for no cert-manager Certificate. */
  static List<Condition> of(
      ObjectReport report, OptionalLong firstVersion, List<Dataplane> dataplanes) {
    return of(report, firstVersion, dataplanes, CertificateState.NOT_REQUESTED, false);
  }

  /**
   * @param firstVersion the first snapshot version that held this generation, empty if none does
   * @param dataplanes the dataplanes connected now
   * @param passthrough whether the route relays TLS connections rather than HTTP requests
   */
  static List<Condition> of(
      ObjectReport report,
      OptionalLong firstVersion,
      List<Dataplane> dataplanes,
      CertificateState certificate,
      boolean passthrough) {
    long gen = report.generation();
    if (report.rejection().isPresent()) {
      Problem p = report.rejection().get();
      // Invalid, or a valid includable route that nothing includes (Orphaned).
      String why =
          p.reason().equals(IncludeProblems.ORPHANED)
              ? "no route includes it"
              : "the spec is invalid";
      return List.of(
          condition(ACCEPTED, false, p.reason(), p.message(), gen),
          condition(RESOLVED_REFS, false, p.reason(), "references were not checked: " + why, gen),
          condition(PROGRAMMED, false, p.reason(), "not served: " + why, gen));
    }
    Condition accepted = condition(ACCEPTED, true, "Accepted", "the spec is valid", gen);
    Condition resolved =
        CertificateConditions.resolvedRefs(
            report, certificate, resolvedRefs(report, gen, passthrough));
    if (report.unverifiedBackends().isEmpty()) {
      return List.of(accepted, resolved, programmed(firstVersion, dataplanes, gen));
    }
    // Only routes that ask for insecureSkipVerify carry it: False, because some go unchecked.
    Condition unverified =
        condition(
            BACKEND_TLS_VERIFIED,
            false,
            "InsecureSkipVerify",
            "TLS to "
                + String.join(", ", report.unverifiedBackends())
                + " is encrypted but the backend's certificate is not checked (insecureSkipVerify)",
            gen);
    return List.of(accepted, resolved, programmed(firstVersion, dataplanes, gen), unverified);
  }

  private static Condition resolvedRefs(ObjectReport report, long gen, boolean passthrough) {
    return report.unresolvedRefs().isEmpty()
        ? condition(
            RESOLVED_REFS, true, "ResolvedRefs", "every backend and Secret reference resolved", gen)
        : condition(
            RESOLVED_REFS,
            false,
            unresolvedReason(report.unresolvedRefs()),
            unresolvedMessage(report.unresolvedRefs(), passthrough),
            gen);
  }

  /**
   * Returns the first backend problem's reason, else the first include problem's, else the first
   * conflict's, else the first certificate problem's.
   */
  private static String unresolvedReason(List<Problem> problems) {
    return problems.stream()
        .filter(RouteConditions::isBackendProblem)
        .findFirst()
        .or(() -> problems.stream().filter(IncludeProblems::isIncludeProblem).findFirst())
        .or(() -> problems.stream().filter(ClaimConflicts::isConflict).findFirst())
        .orElse(problems.getFirst())
        .reason();
  }

  private static boolean isBackendProblem(Problem p) {
    return !CertificateProblems.isCertificateProblem(p)
        && !IncludeProblems.isIncludeProblem(p)
        && !ClaimConflicts.isConflict(p);
  }

  /**
   * Joins the problems: backends first, with what becomes of their rules; then certificates, whose
   * messages say which hosts go without TLS.
   */
  private static String unresolvedMessage(List<Problem> problems, boolean passthrough) {
    List<String> parts = new ArrayList<>();
    String backends =
        problems.stream()
            .filter(RouteConditions::isBackendProblem)
            .map(Problem::message)
            .collect(Collectors.joining("; "));
    if (!backends.isEmpty()) {
      parts.add(
          backends
              + (passthrough
                  ? "; connections relayed to them are closed"
                  : "; rules that use them answer 503"));
    }
    problems.stream()
        .filter(p -> IncludeProblems.isIncludeProblem(p) || ClaimConflicts.isConflict(p))
        .map(Problem::message)
        .forEach(parts::add);
    problems.stream()
        .filter(CertificateProblems::isCertificateProblem)
        .map(Problem::message)
        .forEach(parts::add);
    return String.join("; ", parts);
  }

  private static Condition programmed(
      OptionalLong firstVersion, List<Dataplane> dataplanes, long gen) {
    if (firstVersion.isEmpty()) {
      return condition(PROGRAMMED, false, "Pending", "not yet in a snapshot", gen);
    }
    long v = firstVersion.getAsLong();
    if (dataplanes.isEmpty()) {
      return condition(
          PROGRAMMED,
          false,
          "NoDataplanes",
          "snapshot version " + v + " is ready, but no dataplane is connected",
          gen);
    }
    for (Dataplane d : dataplanes) {
      if (d.ackedVersion() < v && d.rejection().filter(r -> r.version() >= v).isPresent()) {
        var r = d.rejection().get();
        return condition(
            PROGRAMMED,
            false,
            "Rejected",
            "dataplane "
                + d.nodeId()
                + " rejected snapshot version "
                + r.version()
                + ": "
                + r.reason(),
            gen);
      }
    }
    long waiting = dataplanes.stream().filter(d -> d.ackedVersion() < v).count();
    if (waiting > 0) {
      return condition(
          PROGRAMMED,
          false,
          "Pending",
          "waiting for "
              + waiting
              + " of "
              + dataplanes.size()
              + " dataplanes to apply snapshot version "
              + v,
          gen);
    }
    return condition(
        PROGRAMMED,
        true,
        "Programmed",
        "served by " + dataplanes.size() + (dataplanes.size() == 1 ? " dataplane" : " dataplanes"),
        gen);
  }

  static Condition condition(String type, boolean status, String reason, String message, long gen) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(gen)
        .build();
  }
}
