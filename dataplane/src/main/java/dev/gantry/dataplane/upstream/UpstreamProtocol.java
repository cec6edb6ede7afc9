package dev.gantry.dataplane.upstream;

import java.util.Locale;

/** How the proxy speaks to a cluster's endpoints. */
public enum UpstreamProtocol {
  /** HTTP/1.1 with keep-alive: one exchange at a time per pooled connection. */
  HTTP1,
  /**
   * Cleartext HTTP/2 by prior knowledge: exchanges multiplexed as streams on shared connections.
   */
  H2C;

  /** Returns the protocol as a lower-case metric tag, e.g. {@code h2c}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
