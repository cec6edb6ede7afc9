package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A response the proxy answers itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DirectResponse(
    @JsonPropertyDescription("The HTTP status code.") @Required @Min(200) @Max(599) Integer status,
    @JsonPropertyDescription("The response body, sent as text/plain.") @Size(max = 65536)
        String body) {}
