package dev.gantry.operator.translate;

import dev.gantry.operator.ir.Filters;
import dev.gantry.operator.ir.HeaderModifier;
import dev.gantry.operator.ir.PathModifier;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.Timeouts;
import dev.gantry.protocol.v1.Filter;
import dev.gantry.protocol.v1.HeaderValue;
import dev.gantry.protocol.v1.RedirectAction;
import dev.gantry.protocol.v1.RequestMirror;
import dev.gantry.protocol.v1.UrlRewrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a route's filters, redirect and timeouts into their wire form. Pure; emits filters in a
 * fixed order (rewrite, request headers, response headers, mirrors) so equal input gives equal
 * bytes.
 */
final class FilterTranslator {
  private FilterTranslator() {}

  static List<Filter> filters(Filters f) {
    List<Filter> out = new ArrayList<>();
    if (!f.rewriteHostname().isEmpty() || f.rewritePath().isPresent()) {
      UrlRewrite.Builder rewrite = UrlRewrite.newBuilder().setHostname(f.rewriteHostname());
      f.rewritePath().ifPresent(p -> rewrite.setPath(path(p)));
      out.add(Filter.newBuilder().setUrlRewrite(rewrite).build());
    }
    f.requestHeaders()
        .ifPresent(h -> out.add(Filter.newBuilder().setRequestHeaderModifier(headers(h)).build()));
    f.responseHeaders()
        .ifPresent(h -> out.add(Filter.newBuilder().setResponseHeaderModifier(headers(h)).build()));
    for (String cluster : f.mirrorClusters()) {
      out.add(
          Filter.newBuilder()
              .setRequestMirror(RequestMirror.newBuilder().setCluster(cluster))
              .build());
    }
    return out;
  }

  static RedirectAction redirect(RouteAction.Redirect r) {
    RedirectAction.Builder b =
        RedirectAction.newBuilder()
            .setScheme(r.scheme())
            .setHostname(r.hostname())
            .setPort(r.port())
            .setStatusCode(r.statusCode());
    r.path().ifPresent(p -> b.setPath(path(p)));
    return b.build();
  }

  /** Returns the wire timeouts, or empty when the route sets none. */
  static Optional<dev.gantry.protocol.v1.Timeouts> timeouts(Timeouts t) {
    if (t.equals(Timeouts.NONE)) {
      return Optional.empty();
    }
    var b = dev.gantry.protocol.v1.Timeouts.newBuilder();
    if (!t.request().isZero()) {
      b.setRequest(duration(t.request()));
    }
    if (!t.backendRequest().isZero()) {
      b.setBackendRequest(duration(t.backendRequest()));
    }
    if (!t.idle().isZero()) {
      b.setIdle(duration(t.idle()));
    }
    return Optional.of(b.build());
  }

  private static dev.gantry.protocol.v1.HeaderModifier headers(HeaderModifier h) {
    var b = dev.gantry.protocol.v1.HeaderModifier.newBuilder();
    h.set().forEach(v -> b.addSet(HeaderValue.newBuilder().setName(v.name()).setValue(v.value())));
    h.add().forEach(v -> b.addAdd(HeaderValue.newBuilder().setName(v.name()).setValue(v.value())));
    b.addAllRemove(h.remove());
    return b.build();
  }

  private static dev.gantry.protocol.v1.PathModifier path(PathModifier p) {
    var b = dev.gantry.protocol.v1.PathModifier.newBuilder();
    return switch (p.kind()) {
      case FULL -> b.setReplaceFullPath(p.value()).build();
      case PREFIX -> b.setReplacePrefixMatch(p.value()).build();
      case REGEX ->
          b.setRegexSubstitution(
                  dev.gantry.protocol.v1.RegexSubstitution.newBuilder()
                      .setPattern(p.pattern())
                      .setSubstitution(p.value()))
              .build();
    };
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }
}
