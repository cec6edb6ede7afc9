package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * When the proxy tries a failed request again, as Gateway API's HTTPRouteRetry ({@code attempts},
 * {@code backoff}, {@code codes}) plus the conditions and per-try timeout Envoy users know.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.codes) || self.codes.all(c, c >= 400 && c <= 599)",
    message = "codes are HTTP statuses 400..599")
public record Retry(
    @JsonPropertyDescription(
            "How many times a request may be retried after its first attempt, 0..10. Default 1;"
                + " 0 turns retries off.")
        @Min(0)
        @Max(10)
        Integer attempts,
    @JsonPropertyDescription(
            "What causes a retry besides codes: ConnectFailure, Reset, GatewayError (502, 503,"
                + " 504), PerTryTimeout. Default [ConnectFailure].")
        @Size(max = 4)
        List<RetryCondition> on,
    @JsonPropertyDescription("Backend response statuses (400..599) that cause a retry.")
        @Size(max = 16)
        List<Integer> codes,
    @JsonPropertyDescription(
            "The wait before the first retry, doubled for each further one, with jitter. Default:"
                + " retry at once.")
        @Pattern(Timeouts.DURATION)
        String backoff,
    @JsonPropertyDescription(
            "The timeout of each attempt, under timeouts.request. Default: timeouts.backendRequest,"
                + " else none.")
        @Pattern(Timeouts.DURATION)
        String perTryTimeout,
    @JsonPropertyDescription(
            "Retry POST, PATCH and CONNECT too once they may have reached the backend. Default"
                + " false: only idempotent methods are (any method after a connect failure).")
        Boolean nonIdempotent) {

  public Retry {
    on = on == null ? null : List.copyOf(on);
    codes = codes == null ? null : List.copyOf(codes);
  }
}
