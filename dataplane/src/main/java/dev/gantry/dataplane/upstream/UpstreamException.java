package dev.gantry.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.TimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Says why an exchange with an upstream failed, as a {@link Kind} the proxy turns into a response
 * (502, 504…). Carries no stack trace: these happen on the hot path and the kind and message say
 * all there is to say.
 */
public final class UpstreamException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The ways an upstream exchange fails. */
  public enum Kind {
    /** Nothing listens at the endpoint (or a firewall rejected the connection). */
    CONNECT_REFUSED,
    /** The connection was not established within the cluster's connect timeout. */
    CONNECT_TIMEOUT,
    /** The endpoint's DNS name did not resolve. */
    RESOLVE_FAILED,
    /**
     * The TLS handshake with the endpoint failed: its certificate is not trusted or does not carry
     * the cluster's server name, or the two sides share no protocol version or ALPN protocol.
     */
    TLS_HANDSHAKE,
    /** The upstream reset or closed the connection before the response was complete. */
    RESET,
    /** The upstream sent something that is not a valid HTTP/1.1 response. */
    PROTOCOL_ERROR,
    /** The route's request timeout or the upstream idle timeout passed. */
    TIMEOUT,
    /** The attempt's per-try timeout passed (the route's retry policy sets it). */
    PER_TRY_TIMEOUT,
    /** A new connection was needed but the cluster's circuit breaker caps its connections. */
    CONNECTION_LIMIT,
    /**
     * An HTTP/2 upstream refused the stream before processing it (RST_STREAM REFUSED_STREAM, or a
     * GOAWAY whose last stream is below it): the request never reached the application, so sending
     * it again is safe whatever its method.
     */
    REFUSED_STREAM;

    /** Returns the kind as a lower-case metric tag, e.g. {@code connect_refused}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;

  /** Creates a failure of {@code kind}; {@code message} names the endpoint and what happened. */
  public UpstreamException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = requireNonNull(kind, "kind");
  }

  /** Returns the kind of failure. */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns {@code cause} itself when it is an {@code UpstreamException}, else a new one of the
   * matching kind.
   */
  public static UpstreamException from(Throwable cause) {
    if (cause instanceof UpstreamException e) {
      return e;
    }
    return new UpstreamException(classify(cause), String.valueOf(cause.getMessage()));
  }

  /** Returns the kind a transport exception stands for. */
  public static Kind classify(Throwable cause) {
    if (cause instanceof UpstreamException e) {
      return e.kind();
    }
    if (cause instanceof ConnectTimeoutException) {
      return Kind.CONNECT_TIMEOUT;
    }
    if (cause instanceof ConnectException) {
      return Kind.CONNECT_REFUSED;
    }
    if (cause instanceof UnknownHostException) {
      return Kind.RESOLVE_FAILED;
    }
    if (cause instanceof TimeoutException
        || cause instanceof java.util.concurrent.TimeoutException) {
      return Kind.TIMEOUT;
    }
    if (cause instanceof DecoderException) {
      return Kind.PROTOCOL_ERROR;
    }
    return Kind.RESET; // IOException (reset, broken pipe, closed channel) and anything unforeseen
  }

  @Override
  public String toString() {
    return "UpstreamException[" + kind.tag() + "]: " + getMessage();
  }
}
