package dev.gantry.dataplane.routing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A route's rate limit as the generic cell rate algorithm: each bucket holds the theoretical
 * arrival time of the next request; a request is admitted when it is no earlier than that time
 * minus the burst tolerance, and pushes the time one interval on. One CAS per request, no lock and
 * no allocation; per client, a fixed table of buckets indexed by the address's hash (clients that
 * share a slot share its budget: memory never grows with the number of clients). Thread-safe.
 */
public final class RateLimiter {
  static final int CLIENT_SLOTS = 4096;

  private final String identity;
  private final long intervalNanos;
  private final long toleranceNanos;
  private final boolean perClient;
  private final AtomicLongArray due;
  private final long origin = System.nanoTime();

  /**
   * @param requests admitted per {@code per}
   * @param burst admitted at once beyond the even rate
   * @param perClient one bucket per client address, else one for the route
   */
  public RateLimiter(int requests, Duration per, int burst, boolean perClient) {
    if (requests <= 0 || per.isNegative() || per.isZero() || burst < 0) {
      throw new IllegalArgumentException(
          "rate limit: "
              + requests
              + " per "
              + per
              + ", burst "
              + burst
              + " (expected: requests > 0 per a positive duration, burst >= 0)");
    }
    this.intervalNanos = Math.max(1, per.toNanos() / requests);
    // Saturating: a burst of a million hour-long intervals does not wrap around.
    this.toleranceNanos =
        burst > Long.MAX_VALUE / 4 / intervalNanos ? Long.MAX_VALUE / 4 : intervalNanos * burst;
    this.perClient = perClient;
    this.due = new AtomicLongArray(perClient ? CLIENT_SLOTS : 1);
    this.identity = requests + "/" + per + "+" + burst + (perClient ? " per client" : "");
  }

  /**
   * Returns what makes two limiters count the same, so that a new snapshot may keep the old one.
   */
  public String identity() {
    return identity;
  }

  /**
   * Admits a request from {@code client} (its address bytes; null when unknown, which shares one
   * slot) and returns 0, or refuses it and returns how long until one would be admitted, in
   * nanoseconds (at least 1).
   */
  public long acquire(byte[] client, long nowNanos) {
    int slot = perClient ? slot(client) : 0;
    long now = nowNanos - origin;
    while (true) {
      long tat = due.get(slot);
      long start = Math.max(tat, now);
      long wait = start - toleranceNanos - now;
      if (wait > 0) {
        return wait;
      }
      if (due.compareAndSet(slot, tat, start + intervalNanos)) {
        return 0;
      }
    }
  }

  private static int slot(byte[] client) {
    if (client == null) {
      return 0;
    }
    int h = 1;
    for (byte b : client) {
      h = 31 * h + b;
    }
    h ^= h >>> 16;
    return h & (CLIENT_SLOTS - 1);
  }
}
