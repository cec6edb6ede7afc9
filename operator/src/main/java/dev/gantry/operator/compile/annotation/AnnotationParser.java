package dev.gantry.operator.compile.annotation;

import dev.gantry.operator.compile.Problem;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Access;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Affinity;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Backend;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Canary;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Cors;
import dev.gantry.operator.compile.annotation.IngressAnnotations.ErrorPages;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Paths;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Protocol;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Redirect;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Retry;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Timeouts;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Tls;
import dev.gantry.operator.compile.annotation.IngressAnnotations.UpstreamTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an object's annotations into {@link IngressAnnotations}: each setting from its {@code
 * gantry.dev/} annotation, else from the ingress-nginx one. Snippets are refused (there is no
 * configuration language to inject into), nginx annotations without an equivalent are reported as
 * unsupported, and unknown {@code gantry.dev/} ones as invalid.
 */
final class AnnotationParser {
  static final String GANTRY = "gantry.dev/";
  static final String NGINX = "nginx.ingress.kubernetes.io/";
  static final String SNIPPET_REFUSED = "SnippetRefused";
  static final String UNSUPPORTED = "UnsupportedAnnotation";

  private static final Set<String> SNIPPETS =
      Set.of(
          "configuration-snippet",
          "server-snippet",
          "location-snippet",
          "auth-snippet",
          "stream-snippet",
          "modsecurity-snippet");

  /** The nginx annotations read here (some only when another one asks for them). */
  private static final Set<String> SUPPORTED =
      Set.of(
          "affinity",
          "allowlist-source-range",
          "app-root",
          "auth-method",
          "auth-realm",
          "auth-response-headers",
          "auth-secret",
          "auth-secret-type",
          "auth-signin",
          "auth-type",
          "auth-url",
          "backend-protocol",
          "canary",
          "canary-by-cookie",
          "canary-by-header",
          "canary-by-header-pattern",
          "canary-by-header-value",
          "canary-weight",
          "canary-weight-total",
          "cors-allow-credentials",
          "cors-allow-headers",
          "cors-allow-methods",
          "cors-allow-origin",
          "cors-expose-headers",
          "cors-max-age",
          "custom-http-errors",
          "default-backend",
          "denylist-source-range",
          "enable-cors",
          "force-ssl-redirect",
          "limit-allowlist",
          "limit-burst-multiplier",
          "limit-connections",
          "limit-rpm",
          "limit-rps",
          "limit-whitelist",
          "load-balance",
          "permanent-redirect",
          "permanent-redirect-code",
          "proxy-body-size",
          "proxy-connect-timeout",
          "proxy-read-timeout",
          "proxy-send-timeout",
          "proxy-ssl-name",
          "proxy-ssl-secret",
          "proxy-ssl-server-name",
          "proxy-ssl-verify",
          "rewrite-target",
          "server-alias",
          "session-cookie-expires",
          "session-cookie-max-age",
          "session-cookie-name",
          "session-cookie-path",
          "session-cookie-samesite",
          "ssl-passthrough",
          "ssl-redirect",
          "temporal-redirect",
          "temporal-redirect-code",
          "upstream-vhost",
          "use-regex",
          "whitelist-source-range");

  private static final Pattern RATE = Pattern.compile("([0-9]{1,7})/(s|m)");
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "(\\*\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");
  private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SECRET_REF =
      Pattern.compile("([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/)?[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?");
  private static final List<String> RETRY_ON =
      List.of("connect-failure", "reset", "gateway-error", "per-try-timeout");

  private final List<Problem> problems = new ArrayList<>();
  private final AnnotationReader gantry;
  private final AnnotationReader nginx;

  private AnnotationParser(Map<String, String> annotations) {
    gantry = new AnnotationReader(GANTRY, annotations, problems);
    nginx = new AnnotationReader(NGINX, annotations, problems);
  }

  static IngressAnnotations parse(Map<String, String> annotations) {
    return new AnnotationParser(annotations).parse();
  }

  private IngressAnnotations parse() {
    Timeouts timeouts = timeouts();
    OptionalLong maxBody =
        AnnotationReader.firstSize(
            () -> gantry.size("max-body-size"), () -> nginx.size("proxy-body-size"));
    Paths paths = paths();
    Tls tls = tls();
    Backend backend = backend();
    Optional<Affinity> affinity = affinity();
    Optional<Cors> cors = cors();
    Access access = new AccessAnnotations(gantry, nginx).parse();
    Optional<Canary> canary = canary();
    Optional<Redirect> redirect = redirect();
    Optional<ErrorPages> errorPages = errorPages();
    List<String> aliases = hostnames(gantry.has("server-alias") ? gantry : nginx, "server-alias");
    Optional<Boolean> websocket = gantry.bool("websocket");
    Optional<Boolean> grpcWeb = gantry.bool("grpc-web");
    Optional<Retry> retry = retry();
    for (String name : nginx.unread()) {
      String key = name.substring(NGINX.length());
      if (SUPPORTED.contains(key)) {
        continue; // a gantry.dev/ annotation set the same, or nothing asked for it
      }
      problems.add(
          SNIPPETS.contains(key)
              ? new Problem(
                  SNIPPET_REFUSED,
                  name
                      + ": refused; Gantry has no configuration language to inject a snippet"
                      + " into (use the annotation or ProxyRoute field for what it did)")
              : new Problem(UNSUPPORTED, name + ": no Gantry equivalent; it is ignored"));
    }
    for (String name : gantry.unread()) {
      problems.add(
          new Problem(AnnotationReader.INVALID, name + ": unknown annotation; it is ignored"));
    }
    return new IngressAnnotations(
        timeouts,
        maxBody,
        paths,
        tls,
        backend,
        affinity,
        cors,
        access,
        canary,
        redirect,
        errorPages,
        aliases,
        websocket,
        grpcWeb,
        retry,
        problems);
  }

  private Timeouts timeouts() {
    return new Timeouts(
        AnnotationReader.first(
            () -> gantry.duration("connect-timeout"), () -> nginx.seconds("proxy-connect-timeout")),
        nginx.seconds("proxy-read-timeout"),
        nginx.seconds("proxy-send-timeout"),
        gantry.duration("request-timeout"),
        gantry.duration("idle-timeout"));
  }

  private Paths paths() {
    AnnotationReader r = gantry.has("rewrite-target") || gantry.has("use-regex") ? gantry : nginx;
    boolean regex = r.bool("use-regex").orElse(false);
    Optional<String> target = r.string("rewrite-target");
    if (target.isPresent()) {
      if (!target.get().startsWith("/") || target.get().chars().anyMatch(Character::isWhitespace)) {
        r.invalid("rewrite-target", target.get(), "an absolute path, $1 to $9 naming groups");
        target = Optional.empty();
      } else {
        regex = true; // as in ingress-nginx: a rewrite makes the Ingress's paths patterns
      }
    }
    AnnotationReader root = gantry.has("app-root") ? gantry : nginx;
    Optional<String> appRoot =
        root.string("app-root")
            .flatMap(
                v ->
                    v.startsWith("/")
                            && !v.equals("/")
                            && v.chars().noneMatch(Character::isWhitespace)
                        ? Optional.of(v)
                        : root.invalid("app-root", v, "an absolute path other than /"));
    return new Paths(regex, target, appRoot);
  }

  private Tls tls() {
    return new Tls(
        AnnotationReader.first(
            () -> gantry.bool("https-redirect"), () -> nginx.bool("ssl-redirect")),
        AnnotationReader.first(
                () -> gantry.bool("force-https-redirect"), () -> nginx.bool("force-ssl-redirect"))
            .orElse(false),
        AnnotationReader.first(
                () -> gantry.bool("tls-passthrough"), () -> nginx.bool("ssl-passthrough"))
            .orElse(false));
  }

  private Backend backend() {
    Optional<Protocol> protocol =
        AnnotationReader.first(
            () ->
                gantry
                    .oneOf("backend-protocol", "HTTP", "HTTPS", "H2C", "H2")
                    .map(Protocol::valueOf),
            () ->
                nginx
                    .oneOf("backend-protocol", "HTTP", "HTTPS", "GRPC", "GRPCS")
                    .map(
                        p ->
                            switch (p) {
                              case "GRPC" -> Protocol.H2C;
                              case "GRPCS" -> Protocol.H2;
                              default -> Protocol.valueOf(p);
                            }));
    Optional<String> host =
        AnnotationReader.first(
            () -> hostname(gantry, "upstream-host"), () -> hostname(nginx, "upstream-vhost"));
    Optional<String> lb =
        AnnotationReader.first(
            () ->
                gantry.oneOf(
                    "load-balancer", "RoundRobin", "LeastRequest", "Random", "RingHash", "Maglev"),
            () ->
                nginx
                    .oneOf("load-balance", "round_robin", "ewma")
                    .map(v -> v.equals("ewma") ? "LeastRequest" : "RoundRobin"));
    Optional<String> secret =
        nginx
            .string("proxy-ssl-secret")
            .flatMap(
                s ->
                    SECRET_REF.matcher(s).matches()
                        ? Optional.of(s)
                        : nginx.invalid("proxy-ssl-secret", s, "namespace/name of a Secret"));
    boolean verify = nginx.onOff("proxy-ssl-verify").orElse(false);
    Optional<String> serverName = nginx.string("proxy-ssl-name");
    nginx.onOff("proxy-ssl-server-name"); // Gantry always sends SNI to a TLS backend
    Optional<UpstreamTls> upstreamTls =
        secret.isPresent() || verify || serverName.isPresent()
            ? Optional.of(new UpstreamTls(secret, verify, serverName))
            : Optional.empty();
    return new Backend(protocol, host, upstreamTls, lb);
  }

  private Optional<Affinity> affinity() {
    Optional<String> cookie = gantry.string("session-cookie");
    if (cookie.isEmpty() && nginx.oneOf("affinity", "cookie").isPresent()) {
      cookie = Optional.of(nginx.string("session-cookie-name").orElse("INGRESSCOOKIE"));
    }
    if (cookie.isEmpty()) {
      return Optional.empty();
    }
    if (!cookie.get().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
      return gantry.invalid("session-cookie", cookie.get(), "a cookie name");
    }
    return Optional.of(
        new Affinity(
            cookie.get(),
            nginx.string("session-cookie-path"),
            AnnotationReader.first(
                () -> nginx.seconds("session-cookie-max-age"),
                () -> nginx.seconds("session-cookie-expires")),
            nginx.oneOf("session-cookie-samesite", "None", "Lax", "Strict")));
  }

  private Optional<Cors> cors() {
    boolean byGantry = gantry.has("cors-allow-origins");
    if (!byGantry && !nginx.bool("enable-cors").orElse(false)) {
      return Optional.empty();
    }
    AnnotationReader r = byGantry ? gantry : nginx;
    List<String> origins = r.list(byGantry ? "cors-allow-origins" : "cors-allow-origin");
    for (String origin : origins) {
      if (!origin.equals("*") && !isOrigin(origin)) {
        return r.invalid(
            "cors-allow-origin", origin, "origins such as https://app.example.com, or *");
      }
    }
    List<String> methods = r.tokens("cors-allow-methods");
    List<String> headers = r.tokens("cors-allow-headers");
    return Optional.of(
        new Cors(
            origins.isEmpty() ? List.of("*") : origins,
            methods.isEmpty()
                ? List.of("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS")
                : methods,
            headers.isEmpty()
                ? List.of(
                    "DNT",
                    "Keep-Alive",
                    "User-Agent",
                    "X-Requested-With",
                    "If-Modified-Since",
                    "Cache-Control",
                    "Content-Type",
                    "Range",
                    "Authorization")
                : headers,
            r.tokens("cors-expose-headers"),
            r.bool("cors-allow-credentials").orElse(!byGantry),
            byGantry ? r.duration("cors-max-age") : r.seconds("cors-max-age")));
  }

  private Optional<Canary> canary() {
    boolean canary = nginx.bool("canary").orElse(false);
    OptionalInt weight = nginx.integer("canary-weight", 0, 1_000_000);
    int total = nginx.integer("canary-weight-total", 1, 1_000_000).orElse(100);
    Optional<String> header = nginx.string("canary-by-header");
    Optional<String> value = nginx.string("canary-by-header-value");
    Optional<String> pattern = nginx.string("canary-by-header-pattern");
    Optional<String> cookie = nginx.string("canary-by-cookie");
    boolean any = weight.isPresent() || header.isPresent() || cookie.isPresent();
    if (!canary) {
      if (any) {
        nginx.problem(
            AnnotationReader.INVALID,
            "canary",
            "canary-* annotations need canary: \"true\"; they are ignored");
      }
      return Optional.empty();
    }
    if (weight.isPresent() && weight.getAsInt() > total) {
      nginx.invalid(
          "canary-weight",
          String.valueOf(weight.getAsInt()),
          "at most canary-weight-total (" + total + ")");
      weight = OptionalInt.empty();
    }
    return Optional.of(new Canary(weight, total, header, value, pattern, cookie));
  }

  private Optional<Redirect> redirect() {
    Optional<String> permanent = nginx.string("permanent-redirect");
    Optional<String> temporal = nginx.string("temporal-redirect");
    if (permanent.isEmpty() && temporal.isEmpty()) {
      return Optional.empty();
    }
    String name = permanent.isPresent() ? "permanent-redirect" : "temporal-redirect";
    String url = permanent.orElseGet(temporal::get);
    if (!AnnotationReader.isHttpUrl(url) && !url.startsWith("/")) {
      return nginx.invalid(name, url, "an http:// or https:// URL, or an absolute path");
    }
    int status =
        permanent.isPresent()
            ? nginx.integer("permanent-redirect-code", 300, 308).orElse(301)
            : nginx.integer("temporal-redirect-code", 300, 308).orElse(302);
    return Optional.of(new Redirect(url, status));
  }

  private Optional<ErrorPages> errorPages() {
    AnnotationReader r = gantry.has("error-pages") ? gantry : nginx;
    List<String> codes = r.list(r == gantry ? "error-pages" : "custom-http-errors");
    Optional<String> backend =
        (gantry.has("error-backend") ? gantry : nginx)
            .string(gantry.has("error-backend") ? "error-backend" : "default-backend")
            .flatMap(
                b ->
                    SERVICE.matcher(b).matches()
                        ? Optional.of(b)
                        : nginx.invalid(
                            "default-backend", b, "the name of a Service in this namespace"));
    if (codes.isEmpty()) {
      return backend.map(b -> new ErrorPages(List.of(), Optional.of(b)));
    }
    List<Integer> statuses = new ArrayList<>();
    for (String code : codes) {
      if (!code.matches("[1-5][0-9][0-9]")) {
        return r.invalid(
            r == gantry ? "error-pages" : "custom-http-errors",
            code,
            "HTTP status codes, comma-separated");
      }
      statuses.add(Integer.parseInt(code));
    }
    return Optional.of(new ErrorPages(statuses.stream().sorted().distinct().toList(), backend));
  }

  private Optional<Retry> retry() {
    OptionalInt attempts = gantry.integer("retries", 0, 10);
    List<String> on = gantry.list("retry-on");
    for (String condition : on) {
      if (!RETRY_ON.contains(condition) && !condition.matches("5[0-9][0-9]")) {
        return gantry.invalid(
            "retry-on", condition, String.join(", ", RETRY_ON) + " or 5xx status codes");
      }
    }
    if (attempts.isEmpty()) {
      if (!on.isEmpty()) {
        gantry.problem(
            AnnotationReader.INVALID, "retry-on", "needs gantry.dev/retries; it is ignored");
      }
      return Optional.empty();
    }
    return Optional.of(
        new Retry(attempts.getAsInt(), on.isEmpty() ? List.of("connect-failure", "reset") : on));
  }

  private static Optional<String> hostname(AnnotationReader r, String name) {
    return r.string(name)
        .flatMap(
            h -> HOSTNAME.matcher(h).matches() ? Optional.of(h) : r.invalid(name, h, "a DNS name"));
  }

  private List<String> hostnames(AnnotationReader r, String name) {
    List<String> hosts = r.list(name);
    for (String host : hosts) {
      if (!HOSTNAME.matcher(host).matches()) {
        r.invalid(name, host, "DNS names, comma-separated");
        return List.of();
      }
    }
    return hosts;
  }

  private static boolean isOrigin(String origin) {
    try {
      URI uri = new URI(origin);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
          && uri.getRawQuery() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
