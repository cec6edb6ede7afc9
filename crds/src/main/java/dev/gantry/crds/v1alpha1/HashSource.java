package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One thing consistent hashing may hash: set exactly one field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.header), has(self.cookie), has(self.sourceIP) && self.sourceIP]"
            + ".filter(x, x).size() == 1",
    message = "a hash source sets exactly one of header, cookie and sourceIP: true")
public record HashSource(
    @JsonPropertyDescription("A request header's value.") @Size(min = 1, max = 256) String header,
    @JsonPropertyDescription("A request cookie's value.") @Size(min = 1, max = 256) String cookie,
    @JsonPropertyDescription("The client's IP address (the TCP peer).") Boolean sourceIP) {}
