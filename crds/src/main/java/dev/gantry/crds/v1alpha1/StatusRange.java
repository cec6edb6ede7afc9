package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A range of HTTP statuses, both ends included. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.from <= self.to", message = "from must not exceed to")
public record StatusRange(
    @JsonPropertyDescription("The lowest status.") @Required @Min(100) @Max(599) Integer from,
    @JsonPropertyDescription("The highest status.") @Required @Min(100) @Max(599) Integer to) {}
