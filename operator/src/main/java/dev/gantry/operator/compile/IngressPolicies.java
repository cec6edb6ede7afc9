package dev.gantry.operator.compile;

import dev.gantry.operator.compile.annotation.IngressAnnotations;
import dev.gantry.operator.ir.ClusterPolicy;
import dev.gantry.operator.ir.CorsPolicy;
import dev.gantry.operator.ir.Filters;
import dev.gantry.operator.ir.LbPolicy;
import dev.gantry.operator.ir.RateLimit;
import dev.gantry.operator.ir.RetryPolicy;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.RoutePolicy;
import dev.gantry.operator.ir.SessionPersistence;
import dev.gantry.operator.ir.SourceRanges;
import dev.gantry.operator.ir.Timeouts;
import dev.gantry.operator.ir.UpstreamProtocol;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an Ingress's annotations make of its routes and clusters, in the terms ProxyRoute rules use.
 * Settings Gantry reads but does not apply to Ingresses yet are reported ({@code
 * AnnotationNotApplied}), so that an Ingress written for ingress-nginx never silently behaves
 * differently.
 */
record IngressPolicies(
    RoutePolicy route,
    ClusterPolicy cluster,
    Timeouts timeouts,
    Filters filters,
    Optional<UpstreamProtocol> protocol,
    boolean httpsRedirect,
    Optional<RouteAction.Redirect> redirect,
    Optional<String> appRoot,
    boolean regexPaths,
    Optional<String> rewriteTarget,
    List<String> serverAliases,
    Optional<IngressAnnotations.Canary> canary,
    Optional<Problem> refusal,
    List<Problem> problems) {

  static final String NOT_APPLIED = "AnnotationNotApplied";

  static IngressPolicies of(IngressAnnotations a) {
    List<Problem> problems = new ArrayList<>(a.problems());
    RoutePolicy route =
        new RoutePolicy(
            List.of(),
            a.maxBodyBytes().orElse(0),
            a.retry().map(IngressPolicies::retry),
            a.affinity()
                .map(
                    s ->
                        new SessionPersistence(
                            s.cookieName(),
                            s.maxAge().orElse(Duration.ZERO),
                            s.maxAge().isPresent() && !s.maxAge().get().isZero())),
            a.cors().map(c -> cors(c, problems)),
            a.grpcWeb().orElse(true),
            a.websocket().orElse(true),
            a.access().allowSources().isEmpty() && a.access().denySources().isEmpty()
                ? Optional.empty()
                : Optional.of(
                    new SourceRanges(a.access().allowSources(), a.access().denySources())),
            a.access().rateLimit().flatMap(IngressPolicies::rateLimit));
    ClusterPolicy cluster =
        new ClusterPolicy(
            a.backend().loadBalancing().map(IngressPolicies::lb).orElse(LbPolicy.ROUND_ROBIN),
            ClusterPolicy.DEFAULT.circuitBreakers(),
            Optional.empty(),
            ClusterPolicy.DEFAULT.outlierDetection(),
            a.timeouts().connect());
    Timeouts timeouts =
        new Timeouts(
            a.timeouts().request().orElse(Duration.ZERO),
            Duration.ZERO,
            a.timeouts().idle().orElse(Duration.ZERO));
    Filters filters =
        a.backend()
            .hostHeader()
            .map(
                h ->
                    new Filters(Optional.empty(), Optional.empty(), h, Optional.empty(), List.of()))
            .orElse(Filters.NONE);
    Optional<UpstreamProtocol> protocol =
        a.backend()
            .protocol()
            .map(
                p ->
                    switch (p) {
                      case HTTP -> UpstreamProtocol.HTTP1;
                      case HTTPS -> UpstreamProtocol.TLS;
                      case H2C -> UpstreamProtocol.H2C;
                      case H2 -> UpstreamProtocol.H2;
                    });
    Optional<RouteAction.Redirect> redirect = a.redirect().flatMap(r -> redirect(r, problems));
    notApplied(a, problems);
    return new IngressPolicies(
        route.equals(RoutePolicy.NONE) ? RoutePolicy.NONE : route,
        cluster.equals(ClusterPolicy.DEFAULT) ? ClusterPolicy.DEFAULT : cluster,
        timeouts,
        filters,
        protocol,
        a.tls().redirect().orElse(true),
        redirect,
        a.paths().appRoot(),
        a.paths().regex(),
        a.paths().rewriteTarget(),
        a.serverAliases(),
        a.canary(),
        refusal(a),
        problems);
  }

  /**
   * Access control Gantry cannot enforce on an Ingress yet refuses the Ingress: serving it without
   * the authentication or source ranges its author asked for would open it to everyone.
   */
  private static Optional<Problem> refusal(IngressAnnotations a) {
    List<String> unenforced = new ArrayList<>();
    if (a.access().basicAuth().isPresent()) {
      unenforced.add("basic auth");
    }
    if (a.access().externalAuth().isPresent()) {
      unenforced.add("auth-url");
    }
    return unenforced.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new Problem(
                NOT_APPLIED,
                String.join(", ", unenforced)
                    + " cannot be enforced on an Ingress yet: it is not served rather than served"
                    + " to everyone (a ProxyRoute can carry the same rules once they exist)"));
  }

  /**
   * ingress-nginx's limit-rps/limit-rpm: per client address, with a burst of the rate times the
   * burst multiplier (nginx's limit_req burst).
   */
  private static Optional<RateLimit> rateLimit(IngressAnnotations.RateLimit r) {
    if (r.perSecond().isPresent()) {
      int rps = r.perSecond().getAsInt();
      return Optional.of(
          new RateLimit(rps, Duration.ofSeconds(1), rps * r.burstMultiplier(), true));
    }
    if (r.perMinute().isPresent()) {
      int rpm = r.perMinute().getAsInt();
      return Optional.of(
          new RateLimit(rpm, Duration.ofMinutes(1), rpm * r.burstMultiplier(), true));
    }
    return Optional.empty();
  }

  private static RetryPolicy retry(IngressAnnotations.Retry retry) {
    List<RetryPolicy.Condition> on = new ArrayList<>();
    List<Integer> codes = new ArrayList<>();
    for (String condition : retry.on()) {
      switch (condition) {
        case "connect-failure" -> on.add(RetryPolicy.Condition.CONNECT_FAILURE);
        case "reset" -> on.add(RetryPolicy.Condition.RESET);
        case "gateway-error" -> on.add(RetryPolicy.Condition.GATEWAY_ERROR);
        case "per-try-timeout" -> on.add(RetryPolicy.Condition.PER_TRY_TIMEOUT);
        default -> codes.add(Integer.parseInt(condition));
      }
    }
    return new RetryPolicy(retry.attempts(), on, codes, Duration.ZERO, Duration.ZERO, false);
  }

  private static CorsPolicy cors(IngressAnnotations.Cors c, List<Problem> problems) {
    boolean credentials = c.allowCredentials();
    if (credentials && c.allowOrigins().contains("*")) {
      // Browsers refuse credentials with a wildcard origin; ingress-nginx sends both anyway.
      credentials = false;
      problems.add(
          new Problem(
              NOT_APPLIED,
              "cors-allow-credentials: not sent with the origin *, which browsers refuse with"
                  + " credentials; list the origins to allow credentials"));
    }
    return new CorsPolicy(
        c.allowOrigins().stream().map(o -> o.toLowerCase(Locale.ROOT)).toList(),
        c.allowMethods(),
        c.allowHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList(),
        c.exposeHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList(),
        c.maxAge().orElse(Duration.ZERO),
        credentials);
  }

  private static LbPolicy lb(String name) {
    return switch (name) {
      case "LeastRequest" -> LbPolicy.LEAST_REQUEST;
      case "Random" -> LbPolicy.RANDOM;
      case "RingHash" -> LbPolicy.RING_HASH;
      case "Maglev" -> LbPolicy.MAGLEV;
      default -> LbPolicy.ROUND_ROBIN;
    };
  }

  /** Every request of the Ingress redirected: to a URL (scheme, host, port, path) or a path. */
  private static Optional<RouteAction.Redirect> redirect(
      IngressAnnotations.Redirect r, List<Problem> problems) {
    if (r.url().startsWith("/")) {
      return Optional.of(
          new RouteAction.Redirect(
              "",
              "",
              0,
              Optional.of(
                  new dev.gantry.operator.ir.PathModifier(
                      dev.gantry.operator.ir.PathModifier.Kind.FULL, r.url())),
              r.status()));
    }
    URI uri = URI.create(r.url());
    if (!List.of(301, 302, 303, 307, 308).contains(r.status())) {
      problems.add(
          new Problem(
              NOT_APPLIED,
              "redirect code " + r.status() + ": Gantry redirects with 301, 302, 303, 307 or 308"));
      return Optional.empty();
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return Optional.of(
        new RouteAction.Redirect(
            uri.getScheme(),
            uri.getHost(),
            Math.max(uri.getPort(), 0),
            Optional.of(
                new dev.gantry.operator.ir.PathModifier(
                    dev.gantry.operator.ir.PathModifier.Kind.FULL, path)),
            r.status()));
  }

  /** Reports what is read but not applied to Ingresses yet. */
  private static void notApplied(IngressAnnotations a, List<Problem> problems) {
    List<String> missing = new ArrayList<>();
    if (a.timeouts().read().isPresent() || a.timeouts().send().isPresent()) {
      missing.add("proxy-read-timeout/proxy-send-timeout (no per-read timeout)");
    }
    if (a.tls().forceRedirect()) {
      missing.add("force-ssl-redirect (hosts without a certificate are not redirected)");
    }
    if (a.tls().passthrough()) {
      missing.add("ssl-passthrough (TLS is terminated; use a ProxyRoute with tls.passthrough)");
    }
    if (a.backend().tls().isPresent()) {
      missing.add("proxy-ssl-* (use backend-protocol HTTPS, or a ProxyRoute's backendRefs[].tls)");
    }
    a.access()
        .rateLimit()
        .filter(r -> r.connections().isPresent())
        .ifPresent(r -> missing.add("limit-connections (no concurrent-connection limit)"));
    if (!a.access().rateLimit().map(r -> r.exemptSources()).orElse(List.of()).isEmpty()) {
      missing.add("limit-allowlist (every client is limited)");
    }
    a.canary()
        .filter(c -> c.header().isEmpty() && c.cookie().isEmpty() && c.weight().isEmpty())
        .ifPresent(
            c -> missing.add("canary without weight, header or cookie (it gets no traffic)"));
    a.errorPages().ifPresent(e -> missing.add("custom-http-errors/default-backend"));
    for (String m : missing) {
      problems.add(new Problem(NOT_APPLIED, m + ": read but not applied to Ingresses yet"));
    }
  }
}
