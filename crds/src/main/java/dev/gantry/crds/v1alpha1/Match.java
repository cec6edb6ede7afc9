package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Conditions a request must meet to select a rule. Later versions add headers, query and method.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Match(
    @JsonPropertyDescription("The request path condition. Absent: PathPrefix /.") PathMatch path) {}
