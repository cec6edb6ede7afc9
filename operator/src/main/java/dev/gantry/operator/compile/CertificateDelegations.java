package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.CertificateDelegation;
import dev.gantry.crds.v1alpha1.TLSCertificateDelegation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLSCertificateDelegations of one compile: which Secrets of a namespace the routes of which
 * other namespaces may serve. Every delegation of a namespace counts; none means no one else.
 */
final class CertificateDelegations {
  private final Map<String, List<CertificateDelegation>> byNamespace = new HashMap<>();

  CertificateDelegations(List<TLSCertificateDelegation> delegations) {
    for (TLSCertificateDelegation d : delegations) {
      if (d.getSpec() == null) {
        continue;
      }
      byNamespace
          .computeIfAbsent(
              BackendIndex.namespaceOf(d.getMetadata().getNamespace()), n -> new ArrayList<>())
          .addAll(d.getSpec().delegationsOrEmpty());
    }
  }

  /**
   * Returns whether routes in {@code routeNamespace} may serve Secret {@code secretName} of {@code
   * secretNamespace}: always in its own namespace, elsewhere only by a delegation.
   */
  boolean permits(String secretNamespace, String secretName, String routeNamespace) {
    return secretNamespace.equals(routeNamespace)
        || byNamespace.getOrDefault(secretNamespace, List.of()).stream()
            .anyMatch(d -> secretName.equals(d.secretName()) && d.permits(routeNamespace));
  }
}
