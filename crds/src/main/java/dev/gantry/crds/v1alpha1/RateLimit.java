package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A rule's local rate limit: each dataplane admits {@code requests} per {@code per}, evenly, plus
 * {@code burst} at once, and answers the rest 429 with Retry-After.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimit(
    @JsonPropertyDescription("Requests admitted per period, on each dataplane.")
        @Required
        @Min(1)
        @Max(1_000_000)
        Integer requests,
    @JsonPropertyDescription("The period: a duration such as 1s, 1m or 1h. Default 1s.")
        @Pattern("^([0-9]{1,5}(h|m|s|ms)){1,4}$")
        String per,
    @JsonPropertyDescription(
            "Requests admitted at once beyond the even rate (e.g. a page and its assets)."
                + " Default 0.")
        @Min(0)
        @Max(1_000_000)
        Integer burst,
    @JsonPropertyDescription(
            "Route: one budget for the rule on each dataplane. ClientIP: one per client address"
                + " (as sourceRanges judge it). Default Route.")
        RateLimitKey key) {

  /** Who shares a budget. */
  public enum RateLimitKey {
    Route,
    ClientIP
  }
}
