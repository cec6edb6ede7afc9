package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The Secrets of a namespace that routes of other namespaces may name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TLSCertificateDelegationSpec(
    @JsonPropertyDescription(
            "Each delegates one kubernetes.io/tls Secret of this namespace to some namespaces.")
        @Required
        @Size(min = 1, max = 64)
        List<CertificateDelegation> delegations) {

  public TLSCertificateDelegationSpec {
    delegations = delegations == null ? null : List.copyOf(delegations);
  }

  /** Returns the delegations, empty when none were given. */
  public List<CertificateDelegation> delegationsOrEmpty() {
    return delegations == null ? List.of() : delegations;
  }
}
