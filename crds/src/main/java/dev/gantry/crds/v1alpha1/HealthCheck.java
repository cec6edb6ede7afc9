package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Active HTTP health checking of a rule's backend endpoints: the proxy sends {@code GET path} to
 * each endpoint every {@code interval} and takes failing endpoints out of rotation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthCheck(
    @JsonPropertyDescription("The path probed, e.g. /healthz (a query string is allowed).")
        @Required
        @Pattern("^/[!-~]*$")
        @Size(max = 1024)
        String path,
    @JsonPropertyDescription("Time between two probes of one endpoint. Default 10s.")
        @Pattern(Timeouts.DURATION)
        String interval,
    @JsonPropertyDescription(
            "How long a probe may take, connect to response head; a slower probe failed."
                + " Default 1s.")
        @Pattern(Timeouts.DURATION)
        String timeout,
    @JsonPropertyDescription(
            "Passed probes in a row that return an unhealthy endpoint to rotation. Default 2.")
        @Min(1)
        @Max(100)
        Integer healthyThreshold,
    @JsonPropertyDescription(
            "Failed probes in a row that take a healthy endpoint out of rotation. Default 3.")
        @Min(1)
        @Max(100)
        Integer unhealthyThreshold,
    @JsonPropertyDescription("The Host header of probes. Default: the endpoint's address and port.")
        @Size(max = 253)
        @Pattern("^[!-~]+$")
        String host,
    @JsonPropertyDescription("The statuses that pass, inclusive. Default 200 to 399.")
        StatusRange expectedStatus) {

  /** Default {@link #interval()}. */
  public static final String DEFAULT_INTERVAL = "10s";

  /** Default {@link #timeout()}. */
  public static final String DEFAULT_TIMEOUT = "1s";

  public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
  public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
}
