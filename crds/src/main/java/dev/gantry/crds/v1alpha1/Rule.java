package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * One rule: requests matching any of {@code matches} go to {@code backendRefs}, get {@code
 * directResponse} or a redirect, after the rule's {@code filters}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.backendRefs), has(self.directResponse), has(self.filters) &&"
            + " self.filters.exists(f, f.type == 'RequestRedirect')].filter(x, x).size() == 1",
    message =
        "a rule needs exactly one of backendRefs, directResponse and a RequestRedirect filter")
@ValidationRule(
    value =
        "!has(self.filters) || ['RequestHeaderModifier', 'ResponseHeaderModifier',"
            + " 'RequestRedirect', 'URLRewrite'].all(t, self.filters.filter(f, f.type =="
            + " t).size() <= 1)",
    message = "each filter type but RequestMirror may appear once")
@ValidationRule(
    value =
        "!has(self.filters) || !(self.filters.exists(f, f.type == 'RequestRedirect') &&"
            + " self.filters.exists(f, f.type == 'URLRewrite'))",
    message = "RequestRedirect and URLRewrite cannot be combined")
public record Rule(
    @JsonPropertyDescription(
            "Any one of these matches selects the rule. Absent: every path (PathPrefix /).")
        @Size(max = 16)
        List<Match> matches,
    @JsonPropertyDescription(
            "Services in the route's namespace that receive the requests, split by weight.")
        @Size(min = 1, max = 16)
        List<BackendRef> backendRefs,
    @JsonPropertyDescription("A fixed response, answered by the proxy itself.")
        DirectResponse directResponse,
    @JsonPropertyDescription(
            "Applied to every request of the rule: header modifiers, a redirect, a URL rewrite,"
                + " mirrors.")
        @Size(max = 16)
        List<Filter> filters,
    @JsonPropertyDescription("Timeouts for the rule's requests.") Timeouts timeouts,
    @JsonPropertyDescription("How requests spread over the backends' endpoints.")
        LoadBalancer loadBalancer,
    @JsonPropertyDescription(
            "The largest request body accepted, as a quantity (10Mi, 500k); larger bodies are"
                + " answered 413, counted while they stream. Absent: no limit.")
        io.fabric8.kubernetes.api.model.Quantity requestBodyLimit,
    @JsonPropertyDescription(
            "When a failed request is tried again. Absent: once, on connect failure only (any"
                + " method: the request never reached a backend).")
        Retry retry,
    @JsonPropertyDescription(
            "Limits on what the proxy sends the rule's backends at once. Absent: unlimited, with a"
                + " retry budget of 20% of the requests in flight (at least 3).")
        CircuitBreaker circuitBreaker,
    @JsonPropertyDescription(
            "Active HTTP health checks of the backends' endpoints. Absent: none; every ready"
                + " endpoint counts as healthy.")
        HealthCheck healthCheck,
    @JsonPropertyDescription(
            "Passive outlier detection: endpoints whose requests keep failing are skipped for a"
                + " while. Absent: on, with the documented defaults.")
        OutlierDetection outlierDetection,
    @JsonPropertyDescription(
            "Keeps each client on one endpoint with a cookie the proxy issues. Absent: none.")
        SessionPersistence sessionPersistence,
    @JsonPropertyDescription(
            "Cross-origin requests from browsers: preflights answered by the proxy, CORS headers"
                + " for the allowed origins. Absent: none (preflights reach the backends).")
        Cors cors,
    @JsonPropertyDescription(
            "Translate gRPC-Web calls (application/grpc-web, -text) to gRPC for backends spoken to"
                + " over HTTP/2 (H2C, H2). Default true; other backends get them as they came.")
        Boolean grpcWeb,
    @JsonPropertyDescription(
            "Proxy WebSocket: a request with Upgrade: websocket goes to the backend (over HTTP/1.1,"
                + " on a connection of its own) and, once it answers 101, bytes are relayed both"
                + " ways until either side closes or timeouts.idle passes. Default true; false"
                + " drops the Upgrade headers (the backend sees a plain GET).")
        Boolean websocket,
    @JsonPropertyDescription(
            "The client addresses this rule serves; the others get 403 from the proxy. Absent:"
                + " every client.")
        SourceRanges sourceRanges,
    @JsonPropertyDescription(
            "A local rate limit: requests beyond it get 429 with Retry-After. Absent: none.")
        RateLimit rateLimit) {

  /** A rule that serves every client. */
  public Rule(
      List<Match> matches,
      List<BackendRef> backendRefs,
      DirectResponse directResponse,
      List<Filter> filters,
      Timeouts timeouts,
      LoadBalancer loadBalancer,
      io.fabric8.kubernetes.api.model.Quantity requestBodyLimit,
      Retry retry,
      CircuitBreaker circuitBreaker,
      HealthCheck healthCheck,
      OutlierDetection outlierDetection,
      SessionPersistence sessionPersistence,
      Cors cors,
      Boolean grpcWeb,
      Boolean websocket) {
    this(
        matches,
        backendRefs,
        directResponse,
        filters,
        timeouts,
        loadBalancer,
        requestBodyLimit,
        retry,
        circuitBreaker,
        healthCheck,
        outlierDetection,
        sessionPersistence,
        cors,
        grpcWeb,
        websocket,
        null,
        null);
  }

  /** A rule without CORS and with gRPC-Web at its default. */
  public Rule(
      List<Match> matches,
      List<BackendRef> backendRefs,
      DirectResponse directResponse,
      List<Filter> filters,
      Timeouts timeouts,
      LoadBalancer loadBalancer,
      io.fabric8.kubernetes.api.model.Quantity requestBodyLimit,
      Retry retry,
      CircuitBreaker circuitBreaker,
      HealthCheck healthCheck,
      OutlierDetection outlierDetection,
      SessionPersistence sessionPersistence) {
    this(
        matches,
        backendRefs,
        directResponse,
        filters,
        timeouts,
        loadBalancer,
        requestBodyLimit,
        retry,
        circuitBreaker,
        healthCheck,
        outlierDetection,
        sessionPersistence,
        null,
        null,
        null);
  }

  public Rule {
    matches = matches == null ? null : List.copyOf(matches);
    backendRefs = backendRefs == null ? null : List.copyOf(backendRefs);
    filters = filters == null ? null : List.copyOf(filters);
  }

  /** Returns the filters, empty when none were given. */
  public List<Filter> filtersOrEmpty() {
    return filters == null ? List.of() : filters;
  }

  /**
   * Returns the matches, or the single catch-all match {@code PathPrefix /} when none were given.
   */
  public List<Match> matchesOrDefault() {
    return matches == null || matches.isEmpty()
        ? List.of(Match.path(PathMatch.prefix("/")))
        : matches;
  }

  /** Returns the backend references, empty when none were given. */
  public List<BackendRef> backendRefsOrEmpty() {
    return backendRefs == null ? List.of() : backendRefs;
  }
}
