package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * How long the proxy waits, as Gateway API's HTTPRouteTimeouts. Durations use Gateway API's format:
 * up to four number-unit pairs, units h, m, s, ms (e.g. {@code 1m30s}, {@code 500ms}); 0s means no
 * timeout.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Timeouts(
    @JsonPropertyDescription(
            "The whole exchange, from the request received to the end of the response; the proxy"
                + " answers 504 when it is exceeded. Absent: none.")
        @Pattern(DURATION)
        String request,
    @JsonPropertyDescription(
            "One attempt at the backend; at most request. Without retries it behaves as request.")
        @Pattern(DURATION)
        String backendRequest,
    @JsonPropertyDescription(
            "Establishing a connection to one endpoint; slower is a connect failure (retried by"
                + " default on another endpoint, else answered 504). Absent: 5s.")
        @Pattern(DURATION)
        String connect,
    @JsonPropertyDescription(
            "How long a WebSocket connection (once upgraded) may carry no message either way"
                + " before the proxy closes it. Absent or 0s: 1h.")
        @Pattern(DURATION)
        String idle) {

  /** Timeouts without a connect or idle timeout. */
  public Timeouts(String request, String backendRequest) {
    this(request, backendRequest, null, null);
  }

  /** Timeouts without an idle timeout. */
  public Timeouts(String request, String backendRequest, String connect) {
    this(request, backendRequest, connect, null);
  }

  /** Gateway API's Duration format. */
  public static final String DURATION = "^([0-9]{1,5}(h|m|s|ms)){1,4}$";
}
