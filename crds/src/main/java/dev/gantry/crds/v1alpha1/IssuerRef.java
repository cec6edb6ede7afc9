package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The cert-manager issuer that signs a route's certificate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.group != 'cert-manager.io' || self.kind in ['Issuer', 'ClusterIssuer']",
    message = "kind must be Issuer or ClusterIssuer when group is cert-manager.io")
public record IssuerRef(
    @JsonPropertyDescription("The name of the Issuer (in the route's namespace) or ClusterIssuer.")
        @Required
        @Size(min = 1, max = 253)
        String name,
    @JsonPropertyDescription(
            "Issuer (in the route's namespace; the default) or ClusterIssuer; another kind only"
                + " with an external issuer's group.")
        @Default("Issuer")
        @Size(min = 1, max = 63)
        @Pattern("^[A-Z][A-Za-z0-9]*$")
        String kind,
    @JsonPropertyDescription(
            "The issuer's API group: cert-manager.io (the default), or an external issuer's.")
        @Default("cert-manager.io")
        @Size(min = 1, max = 253)
        String group) {
  public static final String DEFAULT_KIND = "Issuer";
  public static final String DEFAULT_GROUP = "cert-manager.io";

  /** Returns the kind, {@link #DEFAULT_KIND} when unset. */
  public String kindOrDefault() {
    return kind == null ? DEFAULT_KIND : kind;
  }

  /** Returns the group, {@link #DEFAULT_GROUP} when unset. */
  public String groupOrDefault() {
    return group == null ? DEFAULT_GROUP : group;
  }
}
