package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.observe.AccessLogConfig;
import java.time.Duration;

/**
 * Configures the downstream HTTP/1.1 server.
 *
 * @param idleTimeout closes a client connection with no request in flight after this long without
 *     traffic (default 60 s)
 * @param limits request-size, time and connection limits (default {@link ListenerLimits#DEFAULT})
 * @param trustedProxies peers whose X-Forwarded-* and X-Request-Id headers are kept (default none)
 * @param accessLog whether and how exchanges are logged (default: on, every field)
 * @param httpsRedirectPort the port in the Location of a host's redirect to HTTPS (443 is left
 *     out); 0 when there is no TLS listener to redirect to (default), and such hosts are served in
 *     cleartext
 */
public record HttpServerConfig(
    Duration idleTimeout,
    ListenerLimits limits,
    TrustedProxies trustedProxies,
    AccessLogConfig accessLog,
    int httpsRedirectPort) {

  /** Default {@link #idleTimeout()}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public HttpServerConfig {
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(limits, "limits");
    requireNonNull(trustedProxies, "trustedProxies");
    requireNonNull(accessLog, "accessLog");
    if (httpsRedirectPort < 0 || httpsRedirectPort > 65535) {
      throw new IllegalArgumentException(
          "httpsRedirectPort: " + httpsRedirectPort + " (expected: 1..65535, or 0 for none)");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
    }
  }

  /** Returns the defaults. */
  public static HttpServerConfig defaults() {
    return new HttpServerConfig(
        DEFAULT_IDLE_TIMEOUT,
        ListenerLimits.DEFAULT,
        TrustedProxies.NONE,
        AccessLogConfig.DEFAULT,
        0);
  }
}
