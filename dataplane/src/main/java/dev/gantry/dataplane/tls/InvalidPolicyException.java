package dev.gantry.dataplane.tls;

/** A host's TLS policy that cannot be built into a server context; the message says why. */
final class InvalidPolicyException extends RuntimeException {

  InvalidPolicyException(String message) {
    super(message);
  }

  InvalidPolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
