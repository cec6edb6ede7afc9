package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The Strict-Transport-Security header (RFC 6797) on a route's hostnames' TLS responses. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.preload) || !self.preload || (has(self.includeSubDomains) &&"
            + " self.includeSubDomains && int(self.maxAge.substring(0, size(self.maxAge) - 1)) *"
            + " (self.maxAge.endsWith('d') ? 86400 : self.maxAge.endsWith('h') ? 3600 :"
            + " self.maxAge.endsWith('m') ? 60 : 1) >= 31536000)",
    message =
        "preload needs includeSubDomains and a maxAge of at least one year (365d): browsers'"
            + " preload lists refuse anything less",
    fieldPath = ".preload")
public record Hsts(
    @JsonPropertyDescription(
            "How long browsers remember to use HTTPS only: a number and one unit, d, h, m or s"
                + " (365d, 8760h). 0s tells browsers to forget the host's policy.")
        @Required
        @Pattern(MAX_AGE)
        String maxAge,
    @JsonPropertyDescription("Adds includeSubDomains: the policy covers every subdomain too.")
        Boolean includeSubDomains,
    @JsonPropertyDescription(
            "Adds preload, asking to be put on browsers' built-in HSTS lists; needs"
                + " includeSubDomains and a maxAge of at least 365d.")
        Boolean preload) {

  /** A number and one unit: days, hours, minutes or seconds. */
  public static final String MAX_AGE = "^[0-9]{1,9}(d|h|m|s)$";

  /** Returns whether includeSubDomains is set; false when unset. */
  public boolean includeSubDomainsOrDefault() {
    return Boolean.TRUE.equals(includeSubDomains);
  }

  /** Returns whether preload is set; false when unset. */
  public boolean preloadOrDefault() {
    return Boolean.TRUE.equals(preload);
  }
}
