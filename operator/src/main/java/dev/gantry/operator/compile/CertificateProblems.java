package dev.gantry.operator.compile;

import java.util.Set;

/**
 * The reasons of problems with a route's certificate. Such a problem leaves the route accepted and
 * its rules served; only the hosts the certificate should have covered go without TLS.
 */
public final class CertificateProblems {
  /**
   * The Secret (a certificate, or a client CA) does not exist, or is not of type {@code
   * kubernetes.io/tls}.
   */
  public static final String SECRET_NOT_FOUND = "SecretNotFound";

  /**
   * The Secret's certificate or key does not parse, does not match, or is not valid now; or its
   * client CA bundle does not parse.
   */
  public static final String INVALID_CERTIFICATE = "InvalidCertificate";

  /** The leaf certificate's DNS names do not cover a hostname of the route. */
  public static final String HOSTNAME_MISMATCH = "CertificateHostnameMismatch";

  /** The Secret is in another namespace, which does not delegate it to the route's. */
  public static final String REF_NOT_PERMITTED = "RefNotPermitted";

  /**
   * An older route serves a hostname with another certificate or other TLS settings, or passes it
   * through, or has HTTP routes on a hostname this route would pass through.
   */
  public static final String CONFLICT = "CertificateConflict";

  private static final Set<String> REASONS =
      Set.of(SECRET_NOT_FOUND, INVALID_CERTIFICATE, HOSTNAME_MISMATCH, REF_NOT_PERMITTED, CONFLICT);

  private CertificateProblems() {}

  /** Returns whether {@code problem} is about a certificate (and not a backend). */
  public static boolean isCertificateProblem(Problem problem) {
    return REASONS.contains(problem.reason());
  }
}
