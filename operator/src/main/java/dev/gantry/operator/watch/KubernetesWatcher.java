package dev.gantry.operator.watch;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.TLSCertificateDelegation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on ProxyRoutes, Services, EndpointSlices, TLSCertificateDelegations and TLS Secrets
 * that feed the source cache. They run on every operator replica, leader or not, so every replica
 * can serve snapshots. Without the TLSCertificateDelegation CRD (a chart upgrade does not install
 * new CRDs) or the permission to list it, the operator runs on, refusing cross-namespace
 * certificates, and says so.
 *
 * <p>Secrets are listed with the field selector {@code type=kubernetes.io/tls}: the operator never
 * holds the cluster's other Secrets (tokens, passwords, Helm releases), only the certificates it
 * may be asked to serve. A default certificate outside the watched namespace gets an informer of
 * its own, scoped to that one Secret by name.
 */
public final class KubernetesWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesWatcher.class);
  private static final String TLS_SECRET_TYPE = "kubernetes.io/tls";

  private final Optional<String> nginxConfigMap;
  private final KubernetesClient client;
  private final Optional<String> namespace;
  private final SourceCache cache;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  private final Optional<String> defaultCertificate;

  public KubernetesWatcher(KubernetesClient client, Optional<String> namespace, SourceCache cache) {
    this(client, namespace, cache, Optional.empty());
  }

  /**
   * @param defaultCertificate the default certificate's Secret, "namespace/name", watched even
   *     outside {@code namespace}
   */
  public KubernetesWatcher(
      KubernetesClient client,
      Optional<String> namespace,
      SourceCache cache,
      Optional<String> defaultCertificate) {
    this(client, namespace, cache, defaultCertificate, Optional.empty());
  }

  /**
   * @param nginxConfigMap the ingress-nginx ConfigMap ("namespace/name") to watch, if one is named
   */
  public KubernetesWatcher(
      KubernetesClient client,
      Optional<String> namespace,
      SourceCache cache,
      Optional<String> defaultCertificate,
      Optional<String> nginxConfigMap) {
    this.nginxConfigMap = nginxConfigMap;
    this.client = client;
    this.namespace = namespace;
    this.cache = cache;
    this.defaultCertificate = defaultCertificate;
  }

  /**
   * Starts the informers and marks the cache synced once all have listed; waits up to {@code
   * timeout}.
   */
  public void start(Duration timeout) throws Exception {
    inform(client.resources(ProxyRoute.class));
    inform(client.resources(Service.class));
    inform(client.discovery().v1().endpointSlices());
    int delegations = -1;
    if (delegationsServed()) {
      delegations = informers.size();
      inform(client.resources(TLSCertificateDelegation.class));
    }
    int ingresses = informers.size();
    inform(client.network().v1().ingresses());
    inform(client.network().v1().ingressClasses()); // cluster-scoped: whatever is watched
    nginxConfigMap.ifPresent(
        name -> {
          String[] parts = name.split("/", 2);
          inform(client.configMaps().inNamespace(parts[0]).withField("metadata.name", parts[1]));
        });
    int firstSecrets = informers.size();
    var secrets = client.secrets();
    inform(
        (namespace.isPresent() ? secrets.inNamespace(namespace.get()) : secrets.inAnyNamespace())
            .withField("type", TLS_SECRET_TYPE));
    defaultCertificate
        .filter(name -> namespace.isPresent() && !name.startsWith(namespace.get() + "/"))
        .ifPresent(
            name -> {
              String[] parts = name.split("/", 2);
              inform(
                  secrets
                      .inNamespace(parts[0])
                      .withField("metadata.name", parts[1])
                      .withField("type", TLS_SECRET_TYPE));
            });
    CompletableFuture.allOf(
            informers.stream()
                .map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    log.info(
        "informers synced: {} ProxyRoutes, {} Services, {} EndpointSlices, {}"
            + " TLSCertificateDelegations, {} Ingresses, {} IngressClasses, {} TLS Secrets",
        informers.get(0).getStore().list().size(),
        informers.get(1).getStore().list().size(),
        informers.get(2).getStore().list().size(),
        delegations < 0 ? "no" : informers.get(delegations).getStore().list().size(),
        informers.get(ingresses).getStore().list().size(),
        informers.get(ingresses + 1).getStore().list().size(),
        informers.subList(firstSecrets, informers.size()).stream()
            .mapToInt(i -> i.getStore().list().size())
            .sum());
    cache.markSynced();
  }

  /**
   * Returns whether the operator can list TLSCertificateDelegations; logs what follows when it
   * cannot.
   */
  private boolean delegationsServed() {
    try {
      var op = client.resources(TLSCertificateDelegation.class);
      var options = new ListOptionsBuilder().withLimit(1L).build();
      if (namespace.isPresent()) {
        op.inNamespace(namespace.get()).list(options);
      } else {
        op.inAnyNamespace().list(options);
      }
      return true;
    } catch (KubernetesClientException e) {
      // 404: the CRD is not installed; 403: RBAC made by hand without it. Either way the rest
      // works.
      if (e.getCode() != 404 && e.getCode() != 403) {
        throw e;
      }
      log.warn(
          "cannot list tlscertificatedelegations.gantry.dev ({}): cross-namespace certificates"
              + " are refused until the operator restarts with the CRD (the chart's crds/) and"
              + " the permission to list it",
          e.getCode() == 404 ? "the API server does not serve it" : "forbidden");
      return false;
    }
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
      void inform(MixedOperation<T, L, R> op) {
    inform(namespace.isPresent() ? op.inNamespace(namespace.get()) : op.inAnyNamespace());
  }

  private <T extends HasMetadata> void inform(Informable<T> scoped) {
    SharedIndexInformer<T> informer = scoped.runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            cache.upsert(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            cache.upsert(newObj);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            cache.delete(obj);
          }
        });
    informers.add(informer);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
