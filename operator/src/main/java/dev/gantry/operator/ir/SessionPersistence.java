package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Cookie session persistence issued by the proxy for a route.
 *
 * @param absoluteTimeout how long a session lasts, {@link Duration#ZERO} for no limit
 * @param permanent whether the cookie gets Max-Age (needs a timeout)
 */
public record SessionPersistence(String cookieName, Duration absoluteTimeout, boolean permanent) {
  public SessionPersistence {
    requireNonNull(cookieName, "cookieName");
    requireNonNull(absoluteTimeout, "absoluteTimeout");
    if (permanent && absoluteTimeout.isZero()) {
      throw new IllegalArgumentException(
          "absoluteTimeout: 0 for a permanent cookie (expected: > 0)");
    }
  }
}
