package dev.gantry.operator.ir;

import java.util.Locale;
import java.util.Set;

/** How the dataplane speaks to a cluster's endpoints: HTTP version, cleartext or TLS. */
public enum UpstreamProtocol {
  /** HTTP/1.1 with keep-alive. */
  HTTP1,
  /** Cleartext HTTP/2 by prior knowledge. */
  H2C,
  /** HTTP/1.1 over TLS. */
  TLS,
  /** HTTP/2 over TLS, agreed by ALPN. */
  H2;

  /** appProtocol values that mean cleartext HTTP/2: the Kubernetes name and the common ones. */
  private static final Set<String> H2C_APP_PROTOCOLS =
      Set.of("kubernetes.io/h2c", "h2c", "http2", "grpc");

  /** appProtocol values that mean HTTP/1.1 over TLS (WebSocket over TLS included). */
  private static final Set<String> TLS_APP_PROTOCOLS = Set.of("https", "kubernetes.io/wss", "wss");

  /**
   * Returns the protocol a Service port's {@code appProtocol} asks for: H2C for {@code
   * kubernetes.io/h2c}, {@code h2c}, {@code http2} and {@code grpc}; TLS for {@code https}, {@code
   * kubernetes.io/wss} and {@code wss} (in any case); HTTP1 for anything else or nothing.
   */
  public static UpstreamProtocol fromAppProtocol(String appProtocol) {
    if (appProtocol == null) {
      return HTTP1;
    }
    String name = appProtocol.toLowerCase(Locale.ROOT);
    return H2C_APP_PROTOCOLS.contains(name) ? H2C : TLS_APP_PROTOCOLS.contains(name) ? TLS : HTTP1;
  }

  /** Returns whether connections are TLS. */
  public boolean isTls() {
    return this == TLS || this == H2;
  }

  /** Returns whether the HTTP version is 2. */
  public boolean isHttp2() {
    return this == H2C || this == H2;
  }

  /** Returns the protocol with the same HTTP version over TLS. */
  public UpstreamProtocol overTls() {
    return isHttp2() ? H2 : TLS;
  }

  /** Returns the protocol as a lower-case name, e.g. {@code h2c}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
