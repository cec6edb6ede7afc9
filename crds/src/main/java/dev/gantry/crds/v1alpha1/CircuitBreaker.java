package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Limits on what the proxy sends the rule's backends at once, per backend Service port, counted
 * across the whole proxy. Over a limit the request is answered 503 with X-Gantry-Overloaded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CircuitBreaker(
    @JsonPropertyDescription("Open connections to the backend. Absent: unlimited.")
        @Min(1)
        @Max(1000000)
        Integer maxConnections,
    @JsonPropertyDescription(
            "Requests waiting for a new connection to the backend. Absent: unlimited.")
        @Min(1)
        @Max(1000000)
        Integer maxPendingRequests,
    @JsonPropertyDescription("Requests in flight to the backend. Absent: unlimited.")
        @Min(1)
        @Max(1000000)
        Integer maxRequests,
    @JsonPropertyDescription("Retries in flight to the backend. Absent: unlimited.")
        @Min(1)
        @Max(1000000)
        Integer maxRetries,
    @JsonPropertyDescription(
            "Retries in flight may reach max(minRetryConcurrency, percent% of the requests in"
                + " flight); past it a failure is returned as is. Absent: 20% and 3.")
        RetryBudget retryBudget) {

  /** The retry budget of a circuit breaker. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RetryBudget(
      @JsonPropertyDescription("Percent of the requests in flight, 0..100. Default 20.")
          @Min(0)
          @Max(100)
          Integer percent,
      @JsonPropertyDescription("Retries in flight allowed whatever the percentage. Default 3.")
          @Min(0)
          @Max(1000000)
          Integer minRetryConcurrency) {}
}
