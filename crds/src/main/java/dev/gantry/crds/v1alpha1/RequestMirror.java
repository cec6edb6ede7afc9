package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Sends a copy of each request to another Service and ignores its answer, as Gateway API's
 * HTTPRequestMirrorFilter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestMirror(
    @JsonPropertyDescription("The Service port that receives the copies. weight is ignored.")
        @Required
        BackendRef backendRef) {}
