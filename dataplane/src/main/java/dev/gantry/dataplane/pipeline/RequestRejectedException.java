package dev.gantry.dataplane.pipeline;

/**
 * Carries a {@link RequestRejection} as the cause of a failed decoder result. Hot-path: no stack
 * trace.
 */
final class RequestRejectedException extends RuntimeException {

  private final transient RequestRejection rejection;

  RequestRejectedException(RequestRejection rejection) {
    super(rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  RequestRejection rejection() {
    return rejection;
  }
}
