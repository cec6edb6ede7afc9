package dev.gantry.operator.status;

import dev.gantry.crds.v1alpha1.IssuerRef;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The cert-manager Certificate a ProxyRoute with {@code spec.tls.issuerRef} asks for: named like
 * the route, in its namespace, for its hostnames, written to {@code spec.tls.secretName}, and
 * controlled by the route so that deleting the route deletes it. Pure.
 */
final class DesiredCertificate {
  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String MANAGED_BY = "gantry";

  private DesiredCertificate() {}

  /** Returns the Certificate for {@code route}, empty when it has no {@code spec.tls.issuerRef}. */
  static Optional<Certificate> of(ProxyRoute route) {
    if (route.getSpec() == null
        || route.getSpec().tls() == null
        || route.getSpec().tls().issuerRef() == null) {
      return Optional.empty();
    }
    IssuerRef issuer = route.getSpec().tls().issuerRef();
    // Sorted and without duplicates, so equal routes give equal Certificates.
    List<String> dnsNames =
        List.copyOf(
            new TreeSet<>(
                route.getSpec().hostnames() == null ? List.of() : route.getSpec().hostnames()));
    return Optional.of(
        new CertificateBuilder()
            .withNewMetadata()
            .withName(route.getMetadata().getName())
            .withNamespace(route.getMetadata().getNamespace())
            .withLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY))
            .withOwnerReferences(ownerReference(route))
            .endMetadata()
            .withNewSpec()
            .withSecretName(route.getSpec().tls().secretName())
            .withDnsNames(dnsNames)
            .withNewIssuerRef()
            .withName(issuer.name())
            .withKind(issuer.kindOrDefault())
            .withGroup(issuer.groupOrDefault())
            .endIssuerRef()
            .endSpec()
            .build());
  }

  /** Returns whether {@code existing} is controlled by {@code route} (same UID, controller). */
  static boolean isControlledBy(Certificate existing, ProxyRoute route) {
    return existing.getMetadata().getOwnerReferences().stream()
        .anyMatch(
            o ->
                Boolean.TRUE.equals(o.getController())
                    && route.getMetadata().getUid() != null
                    && route.getMetadata().getUid().equals(o.getUid()));
  }

  private static OwnerReference ownerReference(ProxyRoute route) {
    return new OwnerReferenceBuilder()
        .withApiVersion(route.getApiVersion())
        .withKind(route.getKind())
        .withName(route.getMetadata().getName())
        .withUid(route.getMetadata().getUid())
        .withController(true)
        .build();
  }
}
