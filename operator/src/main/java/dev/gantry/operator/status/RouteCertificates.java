package dev.gantry.operator.status;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.certmanager.api.model.v1.CertificateCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each route's cert-manager Certificate in line with its {@code spec.tls.issuerRef} and tells
 * where it stands. A plain step of the status reconciler: it runs on the leader only, like every
 * other write, and needs the same route the status is written for. Certificates are read from an
 * informer (which also wakes the route when cert-manager updates one) and written with create or an
 * optimistic-locked update, so a Certificate the route does not control is never overwritten.
 *
 * <p>Whether cert-manager is installed is decided once, at start: a Certificate informer on a
 * missing CRD would fail JOSDK's start. Installing cert-manager later needs an operator restart.
 */
final class RouteCertificates {
  private static final Logger log = LoggerFactory.getLogger(RouteCertificates.class);

  private final KubernetesClient client;
  private final boolean installed;
  private InformerEventSource<Certificate, ProxyRoute> certificates;

  private RouteCertificates(KubernetesClient client, boolean installed) {
    this.client = client;
    this.installed = installed;
  }

  /** No cluster to write to: routes asking for a Certificate report cert-manager missing. */
  static RouteCertificates none() {
    return new RouteCertificates(null, false);
  }

  /** Asks the API server (discovery) whether cert-manager's Certificate kind is served. */
  static RouteCertificates detect(KubernetesClient client) {
    boolean installed;
    try {
      installed = client.supports(Certificate.class);
    } catch (KubernetesClientException e) {
      log.warn("could not tell whether cert-manager is installed; assuming not", e);
      installed = false;
    }
    log.info(
        installed
            ? "cert-manager is installed: routes with spec.tls.issuerRef get a Certificate"
            : "cert-manager is not installed: routes with spec.tls.issuerRef report it");
    return new RouteCertificates(client, installed);
  }

  /** The Certificate informer, when cert-manager is installed. */
  List<EventSource<?, ProxyRoute>> eventSources(EventSourceContext<ProxyRoute> context) {
    if (!installed) {
      return List.of();
    }
    certificates =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Certificate.class, ProxyRoute.class)
                .withName("certificates")
                .withNamespacesInheritedFromController()
                // By name, not by owner: a hand-made Certificate of a route's name concerns that
                // route too (its deletion frees the name).
                .withSecondaryToPrimaryMapper(c -> Set.of(ResourceID.fromResource(c)))
                .build(),
            context);
    return List.of(certificates);
  }

  /** Creates or updates {@code route}'s Certificate as needed and returns where it stands. */
  CertificateState reconcile(ProxyRoute route) {
    Optional<Certificate> desired = DesiredCertificate.of(route);
    if (desired.isEmpty()) {
      deleteOwned(route);
      return CertificateState.NOT_REQUESTED;
    }
    if (!installed || certificates == null) {
      return CertificateState.NOT_INSTALLED;
    }
    Certificate want = desired.get();
    String name = want.getMetadata().getName();
    Optional<Certificate> existing =
        certificates.get(new ResourceID(name, want.getMetadata().getNamespace()));
    try {
      if (existing.isEmpty()) {
        Certificate created = client.resource(want).create();
        certificates.handleRecentResourceCreate(ResourceID.fromResource(created), created);
        return owned(created);
      }
      Certificate have = existing.get();
      if (!DesiredCertificate.isControlledBy(have, route)) {
        return new CertificateState.NotOwned(name);
      }
      if (Objects.equals(have.getSpec(), want.getSpec())) {
        return owned(have);
      }
      // Only the spec is ours to set; the resourceVersion makes a concurrent change fail (409)
      // rather than be lost; the next event retries.
      Certificate next = new CertificateBuilder(have).withSpec(want.getSpec()).build();
      Certificate updated = client.resource(next).update();
      certificates.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, have);
      return owned(updated);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // Created or changed by someone else since our read: the informer's event for that change
        // wakes the route again, and the next pass decides on the object as it is now.
        return existing
            .<CertificateState>map(RouteCertificates::owned)
            .orElse(new CertificateState.NotOwned(name));
      }
      log.warn("could not write Certificate {}/{}", want.getMetadata().getNamespace(), name, e);
      return new CertificateState.WriteFailed(
          "could not write Certificate " + name + ": " + e.getMessage());
    }
  }

  /** Deletes the Certificate the route controls, if any: its issuerRef was removed. */
  private void deleteOwned(ProxyRoute route) {
    if (certificates == null) {
      return;
    }
    certificates
        .get(ResourceID.fromResource(route))
        .filter(c -> DesiredCertificate.isControlledBy(c, route))
        .ifPresent(
            c -> {
              try {
                client.resource(c).delete();
              } catch (KubernetesClientException e) {
                log.warn(
                    "could not delete Certificate {}/{}",
                    c.getMetadata().getNamespace(),
                    c.getMetadata().getName(),
                    e);
              }
            });
  }

  private static CertificateState owned(Certificate certificate) {
    Optional<CertificateCondition> ready =
        certificate.getStatus() == null || certificate.getStatus().getConditions() == null
            ? Optional.empty()
            : certificate.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst();
    return new CertificateState.Owned(
        certificate.getMetadata().getName(),
        ready.map(c -> "True".equals(c.getStatus())).orElse(false),
        ready
            .map(CertificateCondition::getMessage)
            .filter(m -> !m.isBlank())
            .orElse("cert-manager has not reported on it yet"));
  }
}
