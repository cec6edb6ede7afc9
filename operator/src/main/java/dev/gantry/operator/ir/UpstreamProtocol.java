package dev.gantry.operator.ir;

import java.util.Locale;
import java.util.Set;

/** How the dataplane speaks to a cluster's endpoints. */
public enum UpstreamProtocol {
  /** HTTP/1.1 with keep-alive. */
  HTTP1,
  /** Cleartext HTTP/2 by prior knowledge. */
  H2C;

  /** appProtocol values that mean cleartext HTTP/2: the Kubernetes name and the common ones. */
  private static final Set<String> H2C_APP_PROTOCOLS =
      Set.of("kubernetes.io/h2c", "h2c", "http2", "grpc");

  /**
   * Returns the protocol a Service port's {@code appProtocol} asks for: H2C for {@code
   * kubernetes.io/h2c}, {@code h2c}, {@code http2} and {@code grpc} (in any case), HTTP1 for
   * anything else or nothing (WebSocket upgrades over HTTP/1.1; TLS is not spoken to upstreams
   * yet).
   */
  public static UpstreamProtocol fromAppProtocol(String appProtocol) {
    return appProtocol != null && H2C_APP_PROTOCOLS.contains(appProtocol.toLowerCase(Locale.ROOT))
        ? H2C
        : HTTP1;
  }

  /** Returns the protocol as a lower-case name, e.g. {@code h2c}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
