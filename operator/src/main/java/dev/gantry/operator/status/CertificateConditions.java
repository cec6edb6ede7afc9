package dev.gantry.operator.status;

import dev.gantry.operator.compile.CertificateProblems;
import dev.gantry.operator.compile.ObjectReport;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Folds where a route's cert-manager Certificate stands into its ResolvedRefs condition: the
 * compiler only sees the Secret, so a missing Secret is explained by the Certificate that should
 * write it. Pure.
 */
final class CertificateConditions {
  static final String NOT_INSTALLED = "CertManagerNotInstalled";
  static final String NOT_OWNED = "CertificateNotOwned";
  static final String WRITE_FAILED = "CertificateWriteFailed";
  static final String PENDING = "CertificatePending";

  private CertificateConditions() {}

  /** Returns {@code resolved} as the Certificate's state changes it. */
  static Condition resolvedRefs(
      ObjectReport report, CertificateState certificate, Condition resolved) {
    long gen = report.generation();
    return switch (certificate) {
      case CertificateState.NotRequested n -> resolved;
      case CertificateState.NotInstalled n ->
          unresolved(
              NOT_INSTALLED,
              "spec.tls.issuerRef needs cert-manager, which is not installed (the API server does"
                  + " not serve certificates.cert-manager.io); no Certificate is requested",
              resolved,
              gen);
      case CertificateState.NotOwned n ->
          unresolved(
              NOT_OWNED,
              "Certificate "
                  + n.name()
                  + " exists and is not controlled by this route; it is left as it is",
              resolved,
              gen);
      case CertificateState.WriteFailed f -> unresolved(WRITE_FAILED, f.message(), resolved, gen);
      case CertificateState.Owned o when !o.ready() && secretMissing(report) ->
          unresolved(
              PENDING, "Certificate " + o.name() + " is not ready: " + o.message(), resolved, gen);
      case CertificateState.Owned o -> resolved;
    };
  }

  private static boolean secretMissing(ObjectReport report) {
    return report.unresolvedRefs().stream()
        .anyMatch(p -> p.reason().equals(CertificateProblems.SECRET_NOT_FOUND));
  }

  /** False with {@code reason}; what the compiler found stays in the message after ours. */
  private static Condition unresolved(String reason, String message, Condition resolved, long gen) {
    String full =
        "False".equals(resolved.getStatus()) ? message + "; " + resolved.getMessage() : message;
    return RouteConditions.condition(RouteConditions.RESOLVED_REFS, false, reason, full, gen);
  }
}
