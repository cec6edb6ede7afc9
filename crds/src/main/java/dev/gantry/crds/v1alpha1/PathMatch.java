package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A condition on the request path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type == 'RegularExpression' || self.value.startsWith('/')",
    message = "an Exact or PathPrefix value must be an absolute path, starting with /")
public record PathMatch(
    @JsonPropertyDescription(
            "PathPrefix (segment-aware: /foo matches /foo/bar, not /foobar), Exact, or"
                + " RegularExpression (RE2 syntax, must match the whole path).")
        @Required
        PathMatchType type,
    @JsonPropertyDescription(
            "An absolute path starting with /, or an RE2 pattern for RegularExpression.")
        @Required
        @Size(min = 1, max = 1024)
        String value) {

  /** Returns a segment-aware prefix match. */
  public static PathMatch prefix(String value) {
    return new PathMatch(PathMatchType.PathPrefix, value);
  }

  /** Returns a regular expression match. */
  public static PathMatch regex(String value) {
    return new PathMatch(PathMatchType.RegularExpression, value);
  }

  /** Returns an exact match. */
  public static PathMatch exact(String value) {
    return new PathMatch(PathMatchType.Exact, value);
  }
}
