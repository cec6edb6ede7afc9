package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One step applied to the requests of a rule, as Gateway API's HTTPRouteFilter: {@code type} names
 * which of the other fields is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(self.type == 'RequestHeaderModifier') == has(self.requestHeaderModifier) &&"
            + " (self.type == 'ResponseHeaderModifier') == has(self.responseHeaderModifier) &&"
            + " (self.type == 'RequestRedirect') == has(self.requestRedirect) &&"
            + " (self.type == 'URLRewrite') == has(self.urlRewrite) &&"
            + " (self.type == 'RequestMirror') == has(self.requestMirror)",
    message = "set exactly the field that type names")
public record Filter(
    @JsonPropertyDescription(
            "RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite or"
                + " RequestMirror.")
        @Required
        FilterType type,
    @JsonPropertyDescription("Changes the request headers the backend sees.")
        HeaderModifier requestHeaderModifier,
    @JsonPropertyDescription("Changes the response headers the client sees.")
        HeaderModifier responseHeaderModifier,
    @JsonPropertyDescription("Answers with a redirect; the rule then has no backendRefs.")
        RequestRedirect requestRedirect,
    @JsonPropertyDescription("Rewrites the host and path the backend sees.") UrlRewrite urlRewrite,
    @JsonPropertyDescription(
            "Copies each request to another Service, ignoring its response. Only requests"
                + " without a body (or with one the proxy holds whole) are copied.")
        RequestMirror requestMirror) {}
