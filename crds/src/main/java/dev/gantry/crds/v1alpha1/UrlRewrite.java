package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Changes what the backend sees, as Gateway API's HTTPURLRewriteFilter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UrlRewrite(
    @JsonPropertyDescription(
            "The Host header sent to the backend. X-Forwarded-Host keeps the client's.")
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        @Size(max = 253)
        String hostname,
    @JsonPropertyDescription("The path sent to the backend; the query is kept.")
        PathModifier path) {}
