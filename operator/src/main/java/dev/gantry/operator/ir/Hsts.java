package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** The Strict-Transport-Security a host's TLS responses carry (RFC 6797). */
public record Hsts(Duration maxAge, boolean includeSubdomains, boolean preload) {
  public Hsts {
    requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: >= 0)");
    }
  }
}
