package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a route's exchanges may take; {@link Duration#ZERO} means unset.
 *
 * @param request the whole exchange
 * @param backendRequest one attempt at the upstream
 */
public record Timeouts(Duration request, Duration backendRequest) {
  public static final Timeouts NONE = new Timeouts(Duration.ZERO, Duration.ZERO);

  public Timeouts {
    requireNonNull(request, "request");
    requireNonNull(backendRequest, "backendRequest");
    if (request.isNegative() || backendRequest.isNegative()) {
      throw new IllegalArgumentException(
          "timeouts: " + request + ", " + backendRequest + " (expected: >= 0)");
    }
  }
}
