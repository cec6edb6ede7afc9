package dev.gantry.operator.status;

import static java.util.Objects.requireNonNull;

/** Where a route's cert-manager Certificate stands, as far as its status is concerned. */
sealed interface CertificateState {
  /** The route has no {@code spec.tls.issuerRef}. */
  record NotRequested() implements CertificateState {}

  /** The route asks for a Certificate, but cert-manager's CRD is not installed. */
  record NotInstalled() implements CertificateState {}

  /** A Certificate of the route's name exists and is not controlled by the route. */
  record NotOwned(String name) implements CertificateState {
    public NotOwned {
      requireNonNull(name, "name");
    }
  }

  /** The operator could not write the Certificate. */
  record WriteFailed(String message) implements CertificateState {
    public WriteFailed {
      requireNonNull(message, "message");
    }
  }

  /** The route's Certificate exists; {@code message} is its Ready condition's, if any. */
  record Owned(String name, boolean ready, String message) implements CertificateState {
    public Owned {
      requireNonNull(name, "name");
      requireNonNull(message, "message");
    }
  }

  CertificateState NOT_REQUESTED = new NotRequested();
  CertificateState NOT_INSTALLED = new NotInstalled();
}
