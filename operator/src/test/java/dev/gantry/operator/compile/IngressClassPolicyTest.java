package dev.gantry.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngressClassPolicyTest {

  private static IngressClass ingressClass(String name, String controller, boolean isDefault) {
    return new IngressClassBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(
            isDefault ? Map.of(IngressClassPolicy.DEFAULT_ANNOTATION, "true") : Map.of())
        .endMetadata()
        .withNewSpec()
        .withController(controller)
        .endSpec()
        .build();
  }

  private static Ingress ingress(String className, String legacy) {
    return new IngressBuilder()
        .withNewMetadata()
        .withName("i")
        .withAnnotations(
            legacy == null ? Map.of() : Map.of(IngressClassPolicy.LEGACY_ANNOTATION, legacy))
        .endMetadata()
        .withNewSpec()
        .withIngressClassName(className)
        .endSpec()
        .build();
  }

  private static final List<IngressClass> CLASSES =
      List.of(
          ingressClass("gantry", IngressClassPolicy.CONTROLLER, false),
          ingressClass("nginx", "k8s.io/ingress-nginx", true));

  @Test
  void ownsItsClassesAndLeavesTheOthers() {
    var owner = IngressClassPolicy.CLUSTER.owner(CLASSES);

    assertThat(owner.owns(ingress("gantry", null))).isTrue();
    assertThat(owner.owns(ingress("nginx", null))).isFalse();
    assertThat(owner.owns(ingress(null, "gantry"))).as("legacy annotation").isTrue();
    assertThat(owner.owns(ingress(null, "nginx"))).isFalse();
    assertThat(owner.owns(ingress(null, null))).as("the default class is nginx's").isFalse();
  }

  @Test
  void takesUnclassedIngressesWhenItsClassIsTheDefault() {
    var owner =
        IngressClassPolicy.CLUSTER.owner(
            List.of(ingressClass("gantry", IngressClassPolicy.CONTROLLER, true)));

    assertThat(owner.owns(ingress(null, null))).isTrue();
  }

  @Test
  void alsoOwnsTheClassesItIsToldToWhileMigrating() {
    var owner = IngressClassPolicy.CLUSTER.alsoOwning(Set.of("nginx")).owner(CLASSES);

    assertThat(owner.owns(ingress("nginx", null))).isTrue();
    assertThat(owner.owns(ingress(null, "nginx"))).isTrue();
    assertThat(owner.owns(ingress("traefik", null))).isFalse();
  }
}
