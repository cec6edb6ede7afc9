package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One Secret, and the namespaces whose routes may serve its certificate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateDelegation(
    @JsonPropertyDescription(
            "A kubernetes.io/tls Secret in this namespace (a name, not namespace/name).")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(ClientValidation.SECRET_NAME)
        String secretName,
    @JsonPropertyDescription(
            "Namespaces whose ProxyRoutes may name the Secret as namespace/name in"
                + " spec.tls.secretName; \"*\" means every namespace.")
        @Required
        @Size(min = 1, max = 256)
        List<@Pattern(NAMESPACE_OR_ALL) String> targetNamespaces) {

  /** Any namespace. */
  public static final String ALL = "*";

  /** A namespace name (a DNS label), or "*". */
  static final String NAMESPACE_OR_ALL = "^(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$";

  public CertificateDelegation {
    targetNamespaces = targetNamespaces == null ? null : List.copyOf(targetNamespaces);
  }

  /** Returns whether routes in {@code namespace} may use the Secret. */
  public boolean permits(String namespace) {
    return targetNamespaces != null
        && (targetNamespaces.contains(ALL) || targetNamespaces.contains(namespace));
  }
}
