package dev.gantry.operator.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.ProxyRouteSpec;
import dev.gantry.crds.v1alpha1.ProxyRouteStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SourceCacheTest {

  private final AtomicInteger rebuilds = new AtomicInteger();
  private final SourceCache cache = new SourceCache(rebuilds::incrementAndGet);

  private static ProxyRoute route(long generation, Map<String, String> annotations, String rv) {
    ProxyRoute route = new ProxyRoute();
    route.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("web")
            .withUid("u-1")
            .withGeneration(generation)
            .withResourceVersion(rv)
            .withAnnotations(annotations)
            .build());
    route.setSpec(new ProxyRouteSpec(List.of("shop.example.com"), List.of()));
    return route;
  }

  @Test
  void aStatusWriteOnARouteIsHeldWithoutARebuild() {
    cache.markSynced();
    cache.upsert(route(1, Map.of(), "10"));
    int before = rebuilds.get();

    ProxyRoute written = route(1, Map.of(), "11");
    written.setStatus(new ProxyRouteStatus(1L, List.of()));
    cache.upsert(written);

    assertThat(rebuilds.get()).isEqualTo(before);
    assertThat(cache.snapshot().proxyRoutes().getFirst().getStatus()).isNotNull();
  }

  @Test
  void aSpecOrAnnotationChangeRebuilds() {
    cache.markSynced();
    cache.upsert(route(1, Map.of(), "10"));
    int before = rebuilds.get();

    cache.upsert(route(2, Map.of(), "11"));
    cache.upsert(route(2, Map.of("team", "blog"), "12"));

    assertThat(rebuilds.get()).isEqualTo(before + 2);
  }

  @Test
  void otherKindsAlwaysRebuild() {
    cache.markSynced();
    var service =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("web")
            .withGeneration(1L)
            .endMetadata()
            .build();
    cache.upsert(service);
    cache.upsert(service);

    assertThat(rebuilds.get()).isEqualTo(3); // the sync, then both
  }
}
