package dev.gantry.e2e.chart;

import static java.util.Objects.requireNonNull;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** The objects `helm template` renders from the chart, parsed into fabric8 model types. */
record RenderedChart(String yaml, List<HasMetadata> objects) {

  static final String RELEASE = "gantry";
  static final String NAMESPACE = "gantry-system";

  /** helm-java renders for Kubernetes 1.20 unless told otherwise, below the chart's kubeVersion. */
  static final String KUBE_VERSION = "1.36.3";

  RenderedChart {
    requireNonNull(yaml, "yaml");
    objects = List.copyOf(objects);
  }

  /**
   * Renders the chart as release {@value #RELEASE} in {@value #NAMESPACE} for Kubernetes {@value
   * #KUBE_VERSION} with {@code --set} for each entry.
   */
  static RenderedChart render(Map<String, Object> values) {
    TemplateCommand template =
        new Helm(ChartSources.chartDirectory())
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    values.forEach(template::set);
    String yaml = template.call();
    return new RenderedChart(yaml, parse(yaml));
  }

  static RenderedChart render() {
    return render(Map.of());
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return all(type).stream()
        .filter(object -> name.equals(object.getMetadata().getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    type.getSimpleName() + " " + name + " not rendered; rendered: " + names()));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<String> names() {
    return objects.stream()
        .map(object -> object.getKind() + "/" + object.getMetadata().getName())
        .toList();
  }

  private static List<HasMetadata> parse(String yaml) {
    Object parsed = Serialization.unmarshal(yaml);
    List<HasMetadata> objects = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      for (Object item : list) {
        add(objects, item);
      }
    } else {
      add(objects, parsed);
    }
    return objects;
  }

  private static void add(List<HasMetadata> objects, Object item) {
    if (item == null) {
      return;
    }
    if (!(item instanceof HasMetadata object)) {
      throw new IllegalStateException(
          "rendered a document that is not a Kubernetes object: "
              + item
              + " (expected: "
              + KubernetesResource.class.getSimpleName()
              + " with metadata)");
    }
    objects.add(object);
  }
}
