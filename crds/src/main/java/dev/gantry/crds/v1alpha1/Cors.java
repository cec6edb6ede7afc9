package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Cross-origin resource sharing for a rule: the proxy answers browsers' preflights itself and lets
 * the allowed origins read the responses.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.allowCredentials) || !self.allowCredentials || !('*' in self.allowOrigins)",
    message =
        "allowCredentials needs the origins listed: with '*' every site could read its users'"
            + " responses")
public record Cors(
    @JsonPropertyDescription(
            "Origins whose scripts may read the responses: scheme://host[:port] as browsers send"
                + " it (https://app.example.com), or '*' for any. Other origins' preflights are"
                + " answered 403 and their requests get no CORS headers.")
        @Required
        @Size(min = 1, max = 64)
        List<@Size(max = 256) @Pattern("^(\\*|https?://[^/\\s]+)$") String> allowOrigins,
    @JsonPropertyDescription(
            "Methods a preflight may ask for (GET, PUT, ...). Absent: whatever it asks for.")
        @Size(max = 16)
        List<@Pattern("^[A-Z]+$") String> allowMethods,
    @JsonPropertyDescription(
            "Request headers a preflight may ask for. Absent: whatever it asks for.")
        @Size(max = 64)
        List<@Pattern("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") String> allowHeaders,
    @JsonPropertyDescription(
            "Response headers scripts may read besides the safelisted ones; grpc-status and"
                + " grpc-message are always added while gRPC-Web is on.")
        @Size(max = 64)
        List<@Pattern("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") String> exposeHeaders,
    @JsonPropertyDescription(
            "How long browsers may cache a preflight's answer (e.g. 10m). Absent: not sent.")
        @Pattern(Timeouts.DURATION)
        String maxAge,
    @JsonPropertyDescription(
            "Whether browsers may send cookies and credentials (Access-Control-Allow-Credentials)."
                + " Default false.")
        Boolean allowCredentials) {

  public Cors {
    allowOrigins = allowOrigins == null ? null : List.copyOf(allowOrigins);
    allowMethods = allowMethods == null ? null : List.copyOf(allowMethods);
    allowHeaders = allowHeaders == null ? null : List.copyOf(allowHeaders);
    exposeHeaders = exposeHeaders == null ? null : List.copyOf(exposeHeaders);
  }
}
