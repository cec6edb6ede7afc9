package dev.gantry.operator.compile.annotation;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.compile.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What an Ingress's annotations ask for, typed: the {@code gantry.dev/*} ones, and the {@code
 * nginx.ingress.kubernetes.io/*} ones that have a Gantry equivalent (a {@code gantry.dev/} value
 * wins over the nginx one for the same setting). Absent values are empty: the defaults are the
 * compiler's. {@link #problems} says what was refused and why.
 */
public record IngressAnnotations(
    Timeouts timeouts,
    OptionalLong maxBodyBytes,
    Paths paths,
    Tls tls,
    Backend backend,
    Optional<Affinity> affinity,
    Optional<Cors> cors,
    Access access,
    Optional<Canary> canary,
    Optional<Redirect> redirect,
    Optional<ErrorPages> errorPages,
    List<String> serverAliases,
    Optional<Boolean> websocket,
    Optional<Boolean> grpcWeb,
    Optional<Retry> retry,
    List<Problem> problems) {

  public IngressAnnotations {
    requireNonNull(timeouts, "timeouts");
    requireNonNull(maxBodyBytes, "maxBodyBytes");
    requireNonNull(paths, "paths");
    requireNonNull(tls, "tls");
    requireNonNull(backend, "backend");
    requireNonNull(affinity, "affinity");
    requireNonNull(cors, "cors");
    requireNonNull(access, "access");
    requireNonNull(canary, "canary");
    requireNonNull(redirect, "redirect");
    requireNonNull(errorPages, "errorPages");
    serverAliases = List.copyOf(requireNonNull(serverAliases, "serverAliases"));
    requireNonNull(websocket, "websocket");
    requireNonNull(grpcWeb, "grpcWeb");
    requireNonNull(retry, "retry");
    problems = List.copyOf(requireNonNull(problems, "problems"));
  }

  /** Reads {@code annotations} (an object's metadata.annotations; null for none). */
  public static IngressAnnotations of(Map<String, String> annotations) {
    return AnnotationParser.parse(annotations == null ? Map.of() : annotations);
  }

  /**
   * @param connect to open a connection to the backend
   * @param read the longest wait between two reads of the backend's response (nginx's
   *     proxy-read-timeout)
   * @param send the longest wait between two writes of the request to the backend
   * @param request the whole exchange ({@code gantry.dev/request-timeout})
   * @param idle an upgraded (WebSocket) connection without traffic
   */
  public record Timeouts(
      Optional<Duration> connect,
      Optional<Duration> read,
      Optional<Duration> send,
      Optional<Duration> request,
      Optional<Duration> idle) {}

  /**
   * @param regex the Ingress's paths are RE2 patterns (nginx's use-regex; implied by a rewrite
   *     target with capture groups)
   * @param rewriteTarget what the matched path becomes upstream, {@code $1}... naming the path
   *     pattern's groups
   * @param appRoot where a request for {@code /} is redirected
   */
  public record Paths(boolean regex, Optional<String> rewriteTarget, Optional<String> appRoot) {}

  /**
   * @param redirect redirect cleartext requests to HTTPS on hosts with a certificate (nginx
   *     ssl-redirect; empty: the default, on)
   * @param forceRedirect redirect even hosts without a certificate of their own
   * @param passthrough relay TLS to the backend unterminated
   */
  public record Tls(Optional<Boolean> redirect, boolean forceRedirect, boolean passthrough) {}

  /** How the backend is spoken to (nginx's GRPC is H2C, GRPCS is H2). */
  public enum Protocol {
    HTTP,
    HTTPS,
    H2C,
    H2
  }

  /**
   * @param hostHeader the Host header sent upstream (nginx upstream-vhost)
   * @param loadBalancing {@code RoundRobin}, {@code LeastRequest}, {@code Random}, {@code RingHash}
   *     or {@code Maglev}
   */
  public record Backend(
      Optional<Protocol> protocol,
      Optional<String> hostHeader,
      Optional<UpstreamTls> tls,
      Optional<String> loadBalancing) {}

  /**
   * TLS to the backend (nginx proxy-ssl-*).
   *
   * @param secret {@code namespace/name} of a Secret with {@code ca.crt} (and a client certificate
   *     in {@code tls.crt}/{@code tls.key})
   * @param verify check the backend's certificate against the CA
   * @param serverName the name to verify and send as SNI
   */
  public record UpstreamTls(Optional<String> secret, boolean verify, Optional<String> serverName) {}

  /** Cookie session affinity. */
  public record Affinity(
      String cookieName,
      Optional<String> path,
      Optional<Duration> maxAge,
      Optional<String> sameSite) {}

  public record Cors(
      List<String> allowOrigins,
      List<String> allowMethods,
      List<String> allowHeaders,
      List<String> exposeHeaders,
      boolean allowCredentials,
      Optional<Duration> maxAge) {}

  /**
   * Who may reach the backends.
   *
   * @param allowSources client ranges let through (empty: all)
   * @param denySources client ranges refused
   */
  public record Access(
      List<String> allowSources,
      List<String> denySources,
      Optional<RateLimit> rateLimit,
      Optional<BasicAuth> basicAuth,
      Optional<ExternalAuth> externalAuth) {}

  /**
   * Per client address: requests per second (or minute), with a burst of {@code burstMultiplier}
   * times that, and concurrent connections.
   */
  public record RateLimit(
      OptionalInt perSecond,
      OptionalInt perMinute,
      int burstMultiplier,
      OptionalInt connections,
      List<String> exemptSources) {}

  /**
   * @param secret the Secret (this namespace) holding the users
   * @param map the Secret's keys are users and values their hashes (nginx auth-map), rather than
   *     one htpasswd file under key {@code auth}
   */
  public record BasicAuth(String secret, String realm, boolean map) {}

  /**
   * @param url the authorization service: 2xx lets the request through
   * @param signIn where a 401 is redirected (with the original URL as {@code rd})
   * @param responseHeaders headers of the 2xx copied onto the request upstream
   */
  public record ExternalAuth(
      String url, String method, Optional<String> signIn, List<String> responseHeaders) {}

  /**
   * This Ingress's backends take a share of the traffic of another Ingress with the same host and
   * path (nginx canary).
   */
  public record Canary(
      OptionalInt weight,
      int weightTotal,
      Optional<String> header,
      Optional<String> headerValue,
      Optional<String> headerPattern,
      Optional<String> cookie) {}

  /** Every request of the Ingress redirected to {@code url}. */
  public record Redirect(String url, int status) {}

  /**
   * Backend responses with these statuses are replaced by what {@code backend} answers (nginx
   * custom-http-errors with default-backend).
   */
  public record ErrorPages(List<Integer> statuses, Optional<String> backend) {}

  public record Retry(int attempts, List<String> on) {}
}
