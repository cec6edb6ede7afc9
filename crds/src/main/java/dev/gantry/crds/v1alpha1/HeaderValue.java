package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A header name and value to set or add. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderValue(
    @JsonPropertyDescription("The header name, case-insensitive.")
        @Required
        @Pattern("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$")
        @Size(min = 1, max = 256)
        String name,
    @JsonPropertyDescription("The value, without control characters.") @Required @Size(max = 4096)
        String value) {}
