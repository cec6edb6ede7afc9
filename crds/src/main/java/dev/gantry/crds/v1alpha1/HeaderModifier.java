package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Changes to the headers of a request or response, as Gateway API's HTTPHeaderFilter: remove, then
 * set (replacing every value), then add (appending).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderModifier(
    @JsonPropertyDescription("Headers to set, replacing any value they had.") @Size(max = 16)
        List<HeaderValue> set,
    @JsonPropertyDescription("Headers to add, keeping values they already had.") @Size(max = 16)
        List<HeaderValue> add,
    @JsonPropertyDescription("Names of headers to remove.") @Size(max = 16) List<String> remove) {

  public HeaderModifier {
    set = set == null ? null : List.copyOf(set);
    add = add == null ? null : List.copyOf(add);
    remove = remove == null ? null : List.copyOf(remove);
  }

  public List<HeaderValue> setOrEmpty() {
    return set == null ? List.of() : set;
  }

  public List<HeaderValue> addOrEmpty() {
    return add == null ? List.of() : add;
  }

  public List<String> removeOrEmpty() {
    return remove == null ? List.of() : remove;
  }
}
