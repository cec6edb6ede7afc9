package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How a rule balances over its backends' endpoints. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.hashOn) || self.policy == 'RingHash' || self.policy == 'Maglev'",
    message = "hashOn applies to the RingHash and Maglev policies only")
public record LoadBalancer(
    @JsonPropertyDescription(
            "RoundRobin (default, smooth weighted), Random, LeastRequest (power of two choices),"
                + " RingHash or Maglev (consistent hashing on hashOn).")
        LoadBalancerPolicy policy,
    @JsonPropertyDescription(
            "What consistent hashing hashes: the first source present in a request wins; with"
                + " none, the request goes to a random endpoint.")
        @Size(max = 8)
        List<HashSource> hashOn) {

  public LoadBalancer {
    hashOn = hashOn == null ? null : List.copyOf(hashOn);
  }

  public LoadBalancerPolicy policyOrDefault() {
    return policy == null ? LoadBalancerPolicy.RoundRobin : policy;
  }

  public List<HashSource> hashOnOrEmpty() {
    return hashOn == null ? List.of() : hashOn;
  }
}
