package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a route does to each request besides its action. Immutable; safe from any thread.
 *
 * @param requestHeaders edits to the request sent upstream
 * @param responseHeaders edits to the response sent to the client
 * @param rewriteHost the Host header sent upstream, {@code ""} to keep the client's
 * @param rewritePath the path sent upstream, {@code null} to keep the client's
 * @param mirrors clusters that receive a fire-and-forget copy of the request
 */
public record RouteFilters(
    HeaderEdits requestHeaders,
    HeaderEdits responseHeaders,
    String rewriteHost,
    PathRewrite rewritePath,
    List<UpstreamCluster> mirrors) {

  /** Does nothing. */
  public static final RouteFilters NONE =
      new RouteFilters(HeaderEdits.NONE, HeaderEdits.NONE, "", null, List.of());

  public RouteFilters {
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
    requireNonNull(rewriteHost, "rewriteHost");
    mirrors = List.copyOf(requireNonNull(mirrors, "mirrors"));
  }
}
