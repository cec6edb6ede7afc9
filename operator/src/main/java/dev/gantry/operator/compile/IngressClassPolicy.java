package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Ingresses are Gantry's. In a cluster: those whose {@code spec.ingressClassName} names an
 * IngressClass of Gantry's controller (or one of {@code alsoOwned}, such as {@code nginx} while
 * migrating); without a class name, those whose legacy {@code kubernetes.io/ingress.class}
 * annotation names one (or says {@code gantry}); with neither, all of them when a Gantry class is
 * the cluster's default. Standalone mode serves every Ingress it is given.
 *
 * @param controller the IngressClass {@code spec.controller} that is Gantry's
 * @param alsoOwned class names owned whatever their controller
 * @param everything own every Ingress, whatever its class
 */
public record IngressClassPolicy(String controller, Set<String> alsoOwned, boolean everything) {
  public static final String CONTROLLER = "gantry.dev/ingress-controller";
  static final String LEGACY_ANNOTATION = "kubernetes.io/ingress.class";
  static final String DEFAULT_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
  static final String LEGACY_NAME = "gantry";

  /** In a cluster: the classes of Gantry's controller. */
  public static final IngressClassPolicy CLUSTER =
      new IngressClassPolicy(CONTROLLER, Set.of(), false);

  /** Standalone: every Ingress in the folder. */
  public static final IngressClassPolicy EVERYTHING =
      new IngressClassPolicy(CONTROLLER, Set.of(), true);

  public IngressClassPolicy {
    requireNonNull(controller, "controller");
    alsoOwned = Set.copyOf(requireNonNull(alsoOwned, "alsoOwned"));
  }

  /** Returns this policy owning {@code classes} too, whatever their controller. */
  public IngressClassPolicy alsoOwning(Set<String> classes) {
    return new IngressClassPolicy(controller, classes, everything);
  }

  /** The decisions for one compile's IngressClasses. */
  Owner owner(List<IngressClass> classes) {
    Set<String> ours =
        classes.stream()
            .filter(c -> c.getSpec() != null && controller.equals(c.getSpec().getController()))
            .map(c -> c.getMetadata().getName())
            .collect(Collectors.toSet());
    boolean defaultIsOurs =
        classes.stream()
            .filter(c -> ours.contains(c.getMetadata().getName()))
            .anyMatch(c -> "true".equals(annotation(c.getMetadata().getAnnotations())));
    return new Owner(ours, defaultIsOurs);
  }

  private static String annotation(Map<String, String> annotations) {
    return annotations == null ? null : annotations.get(DEFAULT_ANNOTATION);
  }

  /** Answers, for one compile, whether an Ingress is Gantry's. */
  final class Owner {
    private final Set<String> ours;
    private final boolean defaultIsOurs;

    private Owner(Set<String> ours, boolean defaultIsOurs) {
      this.ours = ours;
      this.defaultIsOurs = defaultIsOurs;
    }

    boolean owns(Ingress ingress) {
      if (everything) {
        return true;
      }
      String className = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
      if (className != null) {
        return ours.contains(className) || alsoOwned.contains(className);
      }
      Map<String, String> annotations = ingress.getMetadata().getAnnotations();
      String legacy = annotations == null ? null : annotations.get(LEGACY_ANNOTATION);
      if (legacy != null) {
        return ours.contains(legacy) || alsoOwned.contains(legacy) || LEGACY_NAME.equals(legacy);
      }
      return defaultIsOurs;
    }
  }
}
