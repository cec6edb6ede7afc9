package dev.gantry.dataplane.tls;

/** A certificate or key of a snapshot that cannot be served; the message says why. */
final class InvalidCertificateException extends RuntimeException {

  InvalidCertificateException(String message) {
    super(message);
  }

  InvalidCertificateException(String message, Throwable cause) {
    super(message, cause);
  }
}
