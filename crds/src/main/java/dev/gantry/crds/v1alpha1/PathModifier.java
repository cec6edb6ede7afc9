package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A new path for a redirect or rewrite, as Gateway API's HTTPPathModifier. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.type == 'ReplaceFullPath' ? has(self.replaceFullPath) &&"
            + " !has(self.replacePrefixMatch) : has(self.replacePrefixMatch) &&"
            + " !has(self.replaceFullPath)",
    message =
        "set replaceFullPath for ReplaceFullPath and replacePrefixMatch for ReplacePrefixMatch")
public record PathModifier(
    @JsonPropertyDescription(
            "ReplaceFullPath, or ReplacePrefixMatch (replaces the matched PathPrefix, whole"
                + " segments).")
        @Required
        PathModifierType type,
    @JsonPropertyDescription("The new path, starting with /.") @Pattern("^/") @Size(max = 1024)
        String replaceFullPath,
    @JsonPropertyDescription("The new prefix, starting with /.") @Pattern("^/") @Size(max = 1024)
        String replacePrefixMatch) {}
