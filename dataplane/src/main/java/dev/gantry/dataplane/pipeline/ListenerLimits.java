package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Limits a listener enforces on each client connection, with the status each answers. Requests over
 * a limit are answered and the connection is closed.
 *
 * @param maxRequestLineBytes longest request line, without its CRLF (default 8 KiB); longer gets
 *     414
 * @param maxHeaderBytes largest header block, counting every header line without its CRLF (default
 *     32 KiB); larger gets 431
 * @param maxHeaderCount most header fields in one request (default 100); more gets 431
 * @param headersTimeout longest time from the first byte of a request to the end of its headers
 *     (default 10 s); slower gets 408. The clock starts at the request's first byte (stray CRLFs
 *     between requests do not count), so a keep-alive connection may sit idle between requests for
 *     the idle timeout instead; a pipelined request read while the previous response was still
 *     streaming is timed from the end of that exchange.
 * @param maxRequestsPerConnection requests served on one connection (default 1,000); the last one's
 *     response carries {@code Connection: close}
 * @param maxConnections concurrent client connections on the listener, its TLS port included
 *     (default 10,000); excess connections are closed at once, without a response, and counted
 */
public record ListenerLimits(
    int maxRequestLineBytes,
    int maxHeaderBytes,
    int maxHeaderCount,
    Duration headersTimeout,
    int maxRequestsPerConnection,
    int maxConnections) {

  /** The documented defaults. */
  public static final ListenerLimits DEFAULT =
      new ListenerLimits(8 * 1024, 32 * 1024, 100, Duration.ofSeconds(10), 1_000, 10_000);

  public ListenerLimits {
    requireNonNull(headersTimeout, "headersTimeout");
    atLeast("maxRequestLineBytes", maxRequestLineBytes, 64);
    atLeast("maxHeaderBytes", maxHeaderBytes, 256);
    atLeast("maxHeaderCount", maxHeaderCount, 1);
    atLeast("maxRequestsPerConnection", maxRequestsPerConnection, 1);
    atLeast("maxConnections", maxConnections, 1);
    if (headersTimeout.isNegative() || headersTimeout.isZero()) {
      throw new IllegalArgumentException("headersTimeout: " + headersTimeout + " (expected: > 0)");
    }
  }

  public ListenerLimits withMaxRequestLineBytes(int bytes) {
    return new ListenerLimits(
        bytes,
        maxHeaderBytes,
        maxHeaderCount,
        headersTimeout,
        maxRequestsPerConnection,
        maxConnections);
  }

  public ListenerLimits withMaxHeaderBytes(int bytes) {
    return new ListenerLimits(
        maxRequestLineBytes,
        bytes,
        maxHeaderCount,
        headersTimeout,
        maxRequestsPerConnection,
        maxConnections);
  }

  public ListenerLimits withMaxHeaderCount(int count) {
    return new ListenerLimits(
        maxRequestLineBytes,
        maxHeaderBytes,
        count,
        headersTimeout,
        maxRequestsPerConnection,
        maxConnections);
  }

  public ListenerLimits withHeadersTimeout(Duration timeout) {
    return new ListenerLimits(
        maxRequestLineBytes,
        maxHeaderBytes,
        maxHeaderCount,
        timeout,
        maxRequestsPerConnection,
        maxConnections);
  }

  public ListenerLimits withMaxRequestsPerConnection(int requests) {
    return new ListenerLimits(
        maxRequestLineBytes,
        maxHeaderBytes,
        maxHeaderCount,
        headersTimeout,
        requests,
        maxConnections);
  }

  public ListenerLimits withMaxConnections(int connections) {
    return new ListenerLimits(
        maxRequestLineBytes,
        maxHeaderBytes,
        maxHeaderCount,
        headersTimeout,
        maxRequestsPerConnection,
        connections);
  }

  private static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
    }
  }
}
