package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A redirect answered by the proxy, as Gateway API's HTTPRequestRedirectFilter. Each part left out
 * is kept from the request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.statusCode) || self.statusCode in [301, 302, 303, 307, 308]",
    message = "statusCode must be 301, 302, 303, 307 or 308")
public record RequestRedirect(
    @JsonPropertyDescription("http or https. Absent: the request's scheme.")
        @Pattern("^(http|https)$")
        String scheme,
    @JsonPropertyDescription("The host to redirect to. Absent: the request's host.")
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        @Size(max = 253)
        String hostname,
    @JsonPropertyDescription(
            "The port. Absent: the scheme's well-known port when scheme is set, else the port of"
                + " the request's Host header. A well-known port is left out of Location.")
        @Min(1)
        @Max(65535)
        Integer port,
    @JsonPropertyDescription("A new path. Absent: the request's path. The query is kept.")
        PathModifier path,
    @JsonPropertyDescription("301, 302 (default), 303, 307 or 308.") Integer statusCode) {

  /** Returns the status code, 302 when absent. */
  public int statusCodeOrDefault() {
    return statusCode == null ? 302 : statusCode;
  }
}
