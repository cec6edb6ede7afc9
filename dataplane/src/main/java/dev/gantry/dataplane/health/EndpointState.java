package dev.gantry.dataplane.health;

import java.util.Locale;

/** Where an endpoint stands, as metrics and tests see it. */
public enum EndpointState {
  /** Balancers may pick it. */
  HEALTHY,
  /** Its active health checks fail. */
  UNHEALTHY,
  /** Passive outlier detection ejected it for a while. */
  EJECTED;

  /** Returns the state as a lower-case metric tag. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
