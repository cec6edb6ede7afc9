package dev.gantry.dataplane.routing;

import dev.gantry.protocol.v1.Filter;
import dev.gantry.protocol.v1.HeaderModifier;
import dev.gantry.protocol.v1.HeaderValue;
import dev.gantry.protocol.v1.PathModifier;
import dev.gantry.protocol.v1.RedirectAction;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates a route's wire filters and redirect into their routing form. Part of {@link
 * RoutingTableBuilder}; throws IllegalArgumentException on what it cannot serve.
 */
final class FilterBuilder {

  private FilterBuilder() {}

  static RouteFilters filters(
      List<Filter> filters, PathMatch path, Map<String, UpstreamCluster> clusters) {
    if (filters.isEmpty()) {
      return RouteFilters.NONE;
    }
    HeaderEdits request = HeaderEdits.NONE;
    HeaderEdits response = HeaderEdits.NONE;
    String host = "";
    PathRewrite rewrite = null;
    List<UpstreamCluster> mirrors = new ArrayList<>();
    for (Filter f : filters) {
      switch (f.getKindCase()) {
        case REQUEST_HEADER_MODIFIER -> request = edits(f.getRequestHeaderModifier());
        case RESPONSE_HEADER_MODIFIER -> response = edits(f.getResponseHeaderModifier());
        case URL_REWRITE -> {
          host = f.getUrlRewrite().getHostname();
          rewrite = f.getUrlRewrite().hasPath() ? path(f.getUrlRewrite().getPath(), path) : null;
        }
        case REQUEST_MIRROR -> {
          UpstreamCluster mirror = clusters.get(f.getRequestMirror().getCluster());
          if (mirror == null) {
            throw new IllegalArgumentException(
                "mirrors to unknown cluster " + f.getRequestMirror().getCluster());
          }
          mirrors.add(mirror);
        }
        case KIND_NOT_SET ->
            throw new IllegalArgumentException("a filter of a kind this dataplane does not know");
      }
    }
    return new RouteFilters(request, response, host, rewrite, mirrors);
  }

  static RouteAction.Redirect redirect(RedirectAction r, PathMatch path) {
    return new RouteAction.Redirect(
        r.getScheme(),
        r.getHostname(),
        r.getPort(),
        r.hasPath() ? path(r.getPath(), path) : null,
        r.getStatusCode());
  }

  private static HeaderEdits edits(HeaderModifier m) {
    return new HeaderEdits(
        m.getSetList().stream().map(FilterBuilder::header).toList(),
        m.getAddList().stream().map(FilterBuilder::header).toList(),
        m.getRemoveList().stream().map(FilterBuilder::name).toList());
  }

  private static HeaderEdits.Header header(HeaderValue h) {
    return new HeaderEdits.Header(name(h.getName()), h.getValue());
  }

  private static AsciiString name(String name) {
    return AsciiString.cached(name.toLowerCase(Locale.ROOT));
  }

  private static PathRewrite path(PathModifier m, PathMatch match) {
    return switch (m.getKindCase()) {
      case REPLACE_FULL_PATH -> new PathRewrite.Full(m.getReplaceFullPath());
      case REPLACE_PREFIX_MATCH -> {
        if (!(match instanceof PathMatch.Prefix prefix)) {
          throw new IllegalArgumentException(
              "replace_prefix_match on a route without a prefix match");
        }
        yield new PathRewrite.Prefix(prefix.prefix(), m.getReplacePrefixMatch());
      }
      case REGEX_SUBSTITUTION ->
          new PathRewrite.Regex(
              Patterns.compile(m.getRegexSubstitution().getPattern()),
              m.getRegexSubstitution().getSubstitution());
      case KIND_NOT_SET ->
          throw new IllegalArgumentException(
              "a path modifier of a kind this dataplane does not know");
    };
  }
}
