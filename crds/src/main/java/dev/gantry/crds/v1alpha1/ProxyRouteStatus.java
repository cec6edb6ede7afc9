package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What Gantry made of a ProxyRoute: conditions Accepted, ResolvedRefs and Programmed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyRouteStatus(
    @JsonPropertyDescription("The metadata.generation these conditions describe.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "Accepted, ResolvedRefs and Programmed, with Kubernetes condition conventions.")
        List<Condition> conditions) {

  public ProxyRouteStatus {
    conditions = conditions == null ? null : List.copyOf(conditions);
  }
}
