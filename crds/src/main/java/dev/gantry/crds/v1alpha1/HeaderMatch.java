package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A condition on one request header, as Gateway API's HTTPHeaderMatch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderMatch(
    @JsonPropertyDescription(
            "Exact (default) or RegularExpression (RE2 syntax, must match the whole value).")
        ValueMatchType type,
    @JsonPropertyDescription("The header name, case-insensitive.")
        @Required
        @Pattern("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$")
        @Size(min = 1, max = 256)
        String name,
    @JsonPropertyDescription(
            "The value to compare with the first value of the header. An absent header never"
                + " matches.")
        @Required
        @Size(min = 1, max = 4096)
        String value) {

  /** Returns the type, Exact when absent. */
  public ValueMatchType typeOrDefault() {
    return type == null ? ValueMatchType.Exact : type;
  }
}
