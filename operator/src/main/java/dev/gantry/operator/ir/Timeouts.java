package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a route's exchanges may take; {@link Duration#ZERO} means unset.
 *
 * @param request the whole exchange
 * @param backendRequest one attempt at the upstream
 * @param idle the longest silence of an upgraded (WebSocket) connection
 */
public record Timeouts(Duration request, Duration backendRequest, Duration idle) {
  public static final Timeouts NONE = new Timeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /** Timeouts without an idle timeout. */
  public Timeouts(Duration request, Duration backendRequest) {
    this(request, backendRequest, Duration.ZERO);
  }

  public Timeouts {
    requireNonNull(request, "request");
    requireNonNull(backendRequest, "backendRequest");
    requireNonNull(idle, "idle");
    if (request.isNegative() || backendRequest.isNegative() || idle.isNegative()) {
      throw new IllegalArgumentException(
          "timeouts: " + request + ", " + backendRequest + ", " + idle + " (expected: >= 0)");
    }
  }
}
