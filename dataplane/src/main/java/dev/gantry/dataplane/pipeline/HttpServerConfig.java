package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.observe.AccessLogConfig;
import java.time.Duration;

/**
 * Configures the downstream HTTP/1.1 server.
 *
 * @param idleTimeout closes a client connection with no request in flight after this long without
 *     traffic (default 60 s)
 * @param maxHeaderSize the largest request header block accepted, in bytes (default 16 KiB); larger
 *     gets 400
 * @param accessLog whether and how exchanges are logged (default: on, every field)
 */
public record HttpServerConfig(Duration idleTimeout, int maxHeaderSize, AccessLogConfig accessLog) {

  /** Default {@link #idleTimeout()}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Default {@link #maxHeaderSize()}. */
  public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;

  public HttpServerConfig {
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(accessLog, "accessLog");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
    }
    if (maxHeaderSize < 1024) {
      throw new IllegalArgumentException(
          "maxHeaderSize: " + maxHeaderSize + " (expected: >= 1024)");
    }
  }

  /** Returns the defaults. */
  public static HttpServerConfig defaults() {
    return new HttpServerConfig(
        DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_HEADER_SIZE, AccessLogConfig.DEFAULT);
  }
}
