package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Conditions a request must meet to select a rule, as Gateway API's HTTPRouteMatch: every condition
 * given must hold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Match(
    @JsonPropertyDescription("The request path condition. Absent: PathPrefix /.") PathMatch path,
    @JsonPropertyDescription("Request headers that must all match.") @Size(max = 16)
        List<HeaderMatch> headers,
    @JsonPropertyDescription("Query parameters that must all match.") @Size(max = 16)
        List<QueryParamMatch> queryParams,
    @JsonPropertyDescription("The request method. Absent: any method.") HttpMethod method) {

  public Match {
    headers = headers == null ? null : List.copyOf(headers);
    queryParams = queryParams == null ? null : List.copyOf(queryParams);
  }

  /** Returns a match on the path alone. */
  public static Match path(PathMatch path) {
    return new Match(path, null, null, null);
  }

  /** Returns the header matches, empty when none were given. */
  public List<HeaderMatch> headersOrEmpty() {
    return headers == null ? List.of() : headers;
  }

  /** Returns the query parameter matches, empty when none were given. */
  public List<QueryParamMatch> queryParamsOrEmpty() {
    return queryParams == null ? List.of() : queryParams;
  }
}
