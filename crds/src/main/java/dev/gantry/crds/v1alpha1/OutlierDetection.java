package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Passive outlier detection: endpoints whose requests fail in a row are ejected (skipped by the
 * balancer) for a while. On by default; set both counts to 0 to turn it off.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutlierDetection(
    @JsonPropertyDescription(
            "Gateway errors in a row that eject an endpoint: connect failures, resets, timeouts"
                + " and 502, 503, 504 answers. 0 turns this count off. Default 5.")
        @Min(0)
        @Max(1000)
        Integer consecutiveGatewayErrors,
    @JsonPropertyDescription(
            "Any 5xx answers (or gateway errors) in a row that eject an endpoint. Default 0: off.")
        @Min(0)
        @Max(1000)
        Integer consecutive5xx,
    @JsonPropertyDescription(
            "The first ejection's length; each repeat ejection lasts one more base time."
                + " Default 30s.")
        @Pattern(Timeouts.DURATION)
        String baseEjectionTime,
    @JsonPropertyDescription("The longest ejection. Default 300s.") @Pattern(Timeouts.DURATION)
        String maxEjectionTime,
    @JsonPropertyDescription(
            "At most this share of a backend's endpoints (rounded down) is ejected at once."
                + " Default 50.")
        @Min(0)
        @Max(100)
        Integer maxEjectionPercent) {

  public static final int DEFAULT_CONSECUTIVE_GATEWAY_ERRORS = 5;
  public static final String DEFAULT_BASE_EJECTION_TIME = "30s";
  public static final String DEFAULT_MAX_EJECTION_TIME = "300s";
  public static final int DEFAULT_MAX_EJECTION_PERCENT = 50;
}
