package dev.gantry.operator.watch;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.TLSCertificateDelegation;
import dev.gantry.operator.compile.Sources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The observed objects the compiler reads, fed by informers (or files). Every change requests a
 * rebuild, but only once the feed has said it holds the whole world ({@link #markSynced}):
 * compiling a half-listed cluster would push a snapshot that drops live routes. Thread-safe.
 */
public final class SourceCache {
  // Namespace, then name, as key() joins them, without building a string per comparison.
  private static final Comparator<HasMetadata> BY_KEY =
      Comparator.comparing((HasMetadata o) -> namespaceOf(o))
          .thenComparing(o -> o.getMetadata().getName());

  private final Map<String, ProxyRoute> proxyRoutes = new ConcurrentHashMap<>();
  private final Map<String, Service> services = new ConcurrentHashMap<>();
  private final Map<String, EndpointSlice> endpointSlices = new ConcurrentHashMap<>();
  private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
  private final Map<String, TLSCertificateDelegation> delegations = new ConcurrentHashMap<>();
  private final Map<String, Ingress> ingresses = new ConcurrentHashMap<>();
  private final Map<String, IngressClass> ingressClasses = new ConcurrentHashMap<>();
  private final Map<String, ConfigMap> configMaps = new ConcurrentHashMap<>();
  private final Runnable onChange;
  private volatile boolean synced;

  /**
   * @param onChange called after each change once synced; must be cheap and must not block
   */
  public SourceCache(Runnable onChange) {
    this.onChange = onChange;
  }

  /**
   * Holds {@code object}, replacing the one of its name. A change the compiler cannot see (the
   * status the operator itself writes on a ProxyRoute or an Ingress) is held without a rebuild:
   * otherwise every status write of every route would reset the rebuild's hold-off, and one route's
   * change would wait for the longest delay behind a storm of status writes.
   */
  public void upsert(HasMetadata object) {
    HasMetadata held = mapFor(object).put(key(object), object);
    if (!(object instanceof ProxyRoute || object instanceof Ingress)
        || !sameForCompile(held, object)) {
      changed();
    }
  }

  /**
   * Returns whether {@code after} differs from {@code before} in its status (and resource version)
   * alone: the API server bumps {@code metadata.generation} on every spec change of a resource with
   * a status subresource, but not for labels or annotations, which are compared here.
   */
  private static boolean sameForCompile(HasMetadata before, HasMetadata after) {
    if (before == null) {
      return false;
    }
    ObjectMeta b = before.getMetadata();
    ObjectMeta a = after.getMetadata();
    return a.getGeneration() != null
        && a.getGeneration().equals(b.getGeneration())
        && Objects.equals(a.getUid(), b.getUid())
        && Objects.equals(a.getLabels(), b.getLabels())
        && Objects.equals(a.getAnnotations(), b.getAnnotations())
        && Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp());
  }

  public void delete(HasMetadata object) {
    mapFor(object).remove(key(object));
    changed();
  }

  /** Replaces everything with {@code sources}, as when a folder of files is read again. */
  public synchronized void replaceAll(Sources sources) {
    proxyRoutes.clear();
    services.clear();
    endpointSlices.clear();
    secrets.clear();
    delegations.clear();
    ingresses.clear();
    ingressClasses.clear();
    configMaps.clear();
    sources.proxyRoutes().forEach(r -> proxyRoutes.put(key(r), r));
    sources.services().forEach(s -> services.put(key(s), s));
    sources.endpointSlices().forEach(e -> endpointSlices.put(key(e), e));
    sources.secrets().forEach(s -> secrets.put(key(s), s));
    sources.delegations().forEach(d -> delegations.put(key(d), d));
    sources.ingresses().forEach(i -> ingresses.put(key(i), i));
    sources.ingressClasses().forEach(c -> ingressClasses.put(key(c), c));
    sources.configMaps().forEach(c -> configMaps.put(key(c), c));
    changed();
  }

  /** Declares that the cache holds the complete world; requests the first rebuild. */
  public void markSynced() {
    synced = true;
    changed();
  }

  public boolean isSynced() {
    return synced;
  }

  /** Returns a consistent copy of what is held, each list sorted by namespace and name. */
  public synchronized Sources snapshot() {
    return new Sources(
        sorted(proxyRoutes),
        sorted(services),
        sorted(endpointSlices),
        sorted(secrets),
        sorted(delegations),
        sorted(ingresses),
        sorted(ingressClasses),
        sorted(configMaps));
  }

  private static <T extends HasMetadata> List<T> sorted(Map<String, T> map) {
    return map.values().stream().sorted(BY_KEY).toList();
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> Map<String, T> mapFor(HasMetadata object) {
    return (Map<String, T>)
        switch (object) {
          case ProxyRoute r -> proxyRoutes;
          case Service s -> services;
          case EndpointSlice e -> endpointSlices;
          case Secret s -> secrets;
          case TLSCertificateDelegation d -> delegations;
          case Ingress i -> ingresses;
          case IngressClass c -> ingressClasses;
          case ConfigMap c -> configMaps;
          default ->
              throw new IllegalArgumentException(
                  "kind: "
                      + object.getKind()
                      + " (expected: ProxyRoute, Service, EndpointSlice, Secret,"
                      + " TLSCertificateDelegation, Ingress, IngressClass or ConfigMap)");
        };
  }

  private void changed() {
    if (synced) {
      onChange.run();
    }
  }

  private static String key(HasMetadata o) {
    return namespaceOf(o) + "/" + o.getMetadata().getName();
  }

  private static String namespaceOf(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null ? "default" : ns;
  }
}
