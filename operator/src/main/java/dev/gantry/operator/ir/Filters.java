package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a route does to every request besides its action: header edits both ways, a URL rewrite, and
 * mirror clusters that receive copies.
 *
 * @param rewriteHostname the Host header sent upstream, empty to keep the client's
 * @param mirrorClusters names of clusters receiving fire-and-forget copies
 */
public record Filters(
    Optional<HeaderModifier> requestHeaders,
    Optional<HeaderModifier> responseHeaders,
    String rewriteHostname,
    Optional<PathModifier> rewritePath,
    List<String> mirrorClusters) {
  public static final Filters NONE =
      new Filters(Optional.empty(), Optional.empty(), "", Optional.empty(), List.of());

  public Filters {
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
    requireNonNull(rewriteHostname, "rewriteHostname");
    requireNonNull(rewritePath, "rewritePath");
    mirrorClusters = List.copyOf(requireNonNull(mirrorClusters, "mirrorClusters"));
  }
}
