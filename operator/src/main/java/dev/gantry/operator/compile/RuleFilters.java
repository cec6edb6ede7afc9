package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.Filter;
import dev.gantry.crds.v1alpha1.HeaderValue;
import dev.gantry.crds.v1alpha1.PathModifierType;
import dev.gantry.crds.v1alpha1.RequestRedirect;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.operator.ir.Filters;
import dev.gantry.operator.ir.HeaderModifier;
import dev.gantry.operator.ir.PathModifier;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a validated rule's filters and timeouts into their intermediate form. Pure; the caller
 * resolves mirror backends to cluster names.
 */
final class RuleFilters {
  private RuleFilters() {}

  /**
   * Returns the rule's filters; {@code mirrorCluster} resolves a mirror's backendRef to a cluster
   * name (and records the cluster).
   */
  static Filters of(
      Rule rule, Function<dev.gantry.crds.v1alpha1.BackendRef, String> mirrorCluster) {
    Optional<HeaderModifier> request = Optional.empty();
    Optional<HeaderModifier> response = Optional.empty();
    String hostname = "";
    Optional<PathModifier> path = Optional.empty();
    List<String> mirrors = new ArrayList<>();
    for (Filter f : rule.filtersOrEmpty()) {
      switch (f.type()) {
        case RequestHeaderModifier -> request = Optional.of(headers(f.requestHeaderModifier()));
        case ResponseHeaderModifier -> response = Optional.of(headers(f.responseHeaderModifier()));
        case URLRewrite -> {
          hostname = Objects.requireNonNullElse(f.urlRewrite().hostname(), "");
          path = Optional.ofNullable(f.urlRewrite().path()).map(RuleFilters::path);
        }
        case RequestMirror -> {
          String cluster = mirrorCluster.apply(f.requestMirror().backendRef());
          if (!mirrors.contains(cluster)) {
            mirrors.add(cluster);
          }
        }
        case RequestRedirect -> {} // an action, see redirect()
      }
    }
    return new Filters(request, response, hostname, path, mirrors);
  }

  /** Returns the redirect the rule answers with, if it has a RequestRedirect filter. */
  static Optional<RouteAction.Redirect> redirect(Rule rule) {
    return rule.filtersOrEmpty().stream()
        .filter(f -> f.requestRedirect() != null)
        .findFirst()
        .map(
            f -> {
              RequestRedirect r = f.requestRedirect();
              return new RouteAction.Redirect(
                  Objects.requireNonNullElse(r.scheme(), ""),
                  Objects.requireNonNullElse(r.hostname(), ""),
                  Objects.requireNonNullElse(r.port(), 0),
                  Optional.ofNullable(r.path()).map(RuleFilters::path),
                  r.statusCodeOrDefault());
            });
  }

  /** Returns the rule's timeouts, {@link Timeouts#NONE} when it sets none. */
  static Timeouts timeouts(Rule rule) {
    if (rule.timeouts() == null) {
      return Timeouts.NONE;
    }
    return new Timeouts(
        duration(rule.timeouts().request()),
        duration(rule.timeouts().backendRequest()),
        duration(rule.timeouts().idle()));
  }

  private static Duration duration(String text) {
    return text == null ? Duration.ZERO : GatewayDuration.parse(text).orElseThrow();
  }

  private static HeaderModifier headers(dev.gantry.crds.v1alpha1.HeaderModifier m) {
    return new HeaderModifier(
        m.setOrEmpty().stream().map(RuleFilters::header).toList(),
        m.addOrEmpty().stream().map(RuleFilters::header).toList(),
        m.removeOrEmpty().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
  }

  private static HeaderModifier.Header header(HeaderValue h) {
    return new HeaderModifier.Header(h.name().toLowerCase(Locale.ROOT), h.value());
  }

  private static PathModifier path(dev.gantry.crds.v1alpha1.PathModifier p) {
    return p.type() == PathModifierType.ReplaceFullPath
        ? new PathModifier(PathModifier.Kind.FULL, p.replaceFullPath())
        : new PathModifier(PathModifier.Kind.PREFIX, p.replacePrefixMatch());
  }
}
