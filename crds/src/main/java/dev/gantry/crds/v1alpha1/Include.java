package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Serves another ProxyRoute's rules under a path prefix of this route's hostnames, as Contour's
 * HTTPProxy inclusion: the team that owns a hostname includes the paths other teams serve.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Include(
    @JsonPropertyDescription("The included ProxyRoute, which must have includable: true.")
        @Required
        @Size(min = 1, max = 253)
        String name,
    @JsonPropertyDescription("Its namespace. Absent: this route's namespace.")
        @Size(min = 1, max = 63)
        String namespace,
    @JsonPropertyDescription(
            "The path prefix its rules are served under: /blog serves its PathPrefix /posts as"
                + " /blog/posts (segment-aware, as PathPrefix). / or absent: its paths as they"
                + " are.")
        @Pattern("^/[^?#\\s]*$")
        @Size(max = 256)
        String pathPrefix) {

  /** Returns the prefix without a trailing slash; {@code ""} for none. */
  public String pathPrefixOrEmpty() {
    if (pathPrefix == null) {
      return "";
    }
    String p = pathPrefix;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
