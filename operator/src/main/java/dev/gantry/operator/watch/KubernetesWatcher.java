package dev.gantry.operator.watch;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * Informers on ProxyRoutes, Services and EndpointSlices that feed the source cache. They run on
 * every operator replica, leader or not, so every replica can serve snapshots.
 */
public final class KubernetesWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesWatcher.class);

  private final KubernetesClient client;
  private final Optional<String> namespace;
  private final SourceCache cache;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  public KubernetesWatcher(KubernetesClient client, Optional<String> namespace, SourceCache cache) {
    this.client = client;
    this.namespace = namespace;
    this.cache = cache;
  }

  /**
   * Starts the informers and marks the cache synced once all have listed; waits up to {@code
   * timeout}.
   */
  public void start(Duration timeout) throws Exception {
    inform(client.resources(ProxyRoute.class));
    inform(client.resources(Service.class));
    inform(client.discovery().v1().endpointSlices());
    CompletableFuture.allOf(
            informers.stream()
                .map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    log.info(
        "informers synced: {} ProxyRoutes, {} Services, {} EndpointSlices",
        informers.get(0).getStore().list().size(),
        informers.get(1).getStore().list().size(),
        informers.get(2).getStore().list().size());
    cache.markSynced();
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
      void inform(MixedOperation<T, L, R> op) {
    var scoped = namespace.isPresent() ? op.inNamespace(namespace.get()) : op.inAnyNamespace();
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
