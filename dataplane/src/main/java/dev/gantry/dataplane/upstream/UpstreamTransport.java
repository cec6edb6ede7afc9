package dev.gantry.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How the proxy reaches a cluster's endpoints: the HTTP version it speaks and whether over TLS.
 * Connections of different transports never share a pool.
 *
 * @param protocol HTTP/1.1, or HTTP/2 (h2c in cleartext, h2 by ALPN over TLS)
 * @param tls the TLS settings, or empty for cleartext
 */
public record UpstreamTransport(UpstreamProtocol protocol, Optional<UpstreamTls> tls) {

  /** Cleartext HTTP/1.1. */
  public static final UpstreamTransport HTTP1 =
      new UpstreamTransport(UpstreamProtocol.HTTP1, Optional.empty());

  /** Cleartext HTTP/2 by prior knowledge. */
  public static final UpstreamTransport H2C =
      new UpstreamTransport(UpstreamProtocol.H2C, Optional.empty());

  public UpstreamTransport {
    requireNonNull(protocol, "protocol");
    requireNonNull(tls, "tls");
  }

  /** Returns the cleartext transport of {@code protocol}. */
  public static UpstreamTransport cleartext(UpstreamProtocol protocol) {
    return switch (protocol) {
      case HTTP1 -> HTTP1;
      case H2C -> H2C;
    };
  }
}
