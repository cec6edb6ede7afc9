package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * One rule: requests matching any of {@code matches} go to {@code backendRefs} or get {@code
 * directResponse}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.backendRefs) != has(self.directResponse)",
    message = "a rule needs exactly one of backendRefs and directResponse")
public record Rule(
    @JsonPropertyDescription(
            "Any one of these matches selects the rule. Absent: every path (PathPrefix /).")
        @Size(max = 16)
        List<Match> matches,
    @JsonPropertyDescription(
            "Services in the route's namespace that receive the requests, split by weight.")
        @Size(min = 1, max = 16)
        List<BackendRef> backendRefs,
    @JsonPropertyDescription("A fixed response, answered by the proxy itself.")
        DirectResponse directResponse) {

  public Rule {
    matches = matches == null ? null : List.copyOf(matches);
    backendRefs = backendRefs == null ? null : List.copyOf(backendRefs);
  }

  /**
   * Returns the matches, or the single catch-all match {@code PathPrefix /} when none were given.
   */
  public List<Match> matchesOrDefault() {
    return matches == null || matches.isEmpty()
        ? List.of(Match.path(PathMatch.prefix("/")))
        : matches;
  }

  /** Returns the backend references, empty when none were given. */
  public List<BackendRef> backendRefsOrEmpty() {
    return backendRefs == null ? List.of() : backendRefs;
  }
}
