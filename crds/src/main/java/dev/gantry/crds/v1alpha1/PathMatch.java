package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A condition on the request path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PathMatch(
    @JsonPropertyDescription(
            "PathPrefix (segment-aware: /foo matches /foo/bar, not /foobar) or Exact.")
        @Required
        PathMatchType type,
    @JsonPropertyDescription("An absolute path, starting with /.")
        @Required
        @Pattern("^/")
        @Size(max = 1024)
        String value) {

  /** Returns a segment-aware prefix match. */
  public static PathMatch prefix(String value) {
    return new PathMatch(PathMatchType.PathPrefix, value);
  }

  /** Returns an exact match. */
  public static PathMatch exact(String value) {
    return new PathMatch(PathMatchType.Exact, value);
  }
}
