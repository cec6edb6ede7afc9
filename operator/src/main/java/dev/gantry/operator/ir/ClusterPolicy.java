package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * How the dataplane treats the endpoints of one Service port: balancing, circuit breaking, active
 * health checking, passive outlier detection and the connect timeout (absent: the dataplane's 5 s).
 * Rules that ask for different policies on the same Service port get clusters of their own, told
 * apart by {@link #key()}.
 */
public record ClusterPolicy(
    LbPolicy lbPolicy,
    CircuitBreakers circuitBreakers,
    Optional<HealthCheck> healthCheck,
    OutlierDetection outlierDetection,
    Optional<Duration> connectTimeout) {

  /**
   * The policy of a rule that asks for nothing: round robin, no limits, default outlier detection.
   */
  public static final ClusterPolicy DEFAULT =
      new ClusterPolicy(
          LbPolicy.ROUND_ROBIN,
          CircuitBreakers.NONE,
          Optional.empty(),
          OutlierDetection.DEFAULT,
          Optional.empty());

  public ClusterPolicy {
    requireNonNull(lbPolicy, "lbPolicy");
    requireNonNull(circuitBreakers, "circuitBreakers");
    requireNonNull(healthCheck, "healthCheck");
    requireNonNull(outlierDetection, "outlierDetection");
    requireNonNull(connectTimeout, "connectTimeout");
    connectTimeout.ifPresent(
        t -> {
          if (t.isNegative() || t.isZero()) {
            throw new IllegalArgumentException("connectTimeout: " + t + " (expected: > 0)");
          }
        });
  }

  /** Returns a policy that only chooses the balancer. */
  public ClusterPolicy(LbPolicy lbPolicy) {
    this(
        lbPolicy,
        CircuitBreakers.NONE,
        Optional.empty(),
        OutlierDetection.DEFAULT,
        Optional.empty());
  }

  /**
   * Returns whether this is the default policy, whose cluster keeps the plain Service port name.
   */
  public boolean isDefault() {
    return equals(DEFAULT);
  }

  /**
   * Returns the suffix that names this policy's cluster: distinct for distinct policies, stable
   * across rebuilds, readable where it can be ({@code least_request}). Parts added here must keep
   * it injective; a part too long to read contributes a short digest of itself: {@code
   * round_robin+cb-1a2b3c4d5e+hc-0f9e8d7c6b+ct-2000ms}.
   */
  public String key() {
    StringBuilder key = new StringBuilder(lbPolicy.name().toLowerCase(Locale.ROOT));
    if (!circuitBreakers.equals(CircuitBreakers.NONE)) {
      key.append("+cb-").append(digest(circuitBreakers.canonical()));
    }
    healthCheck.ifPresent(h -> key.append("+hc-").append(digest(h.toString())));
    if (!outlierDetection.equals(OutlierDetection.DEFAULT)) {
      key.append("+od-").append(digest(outlierDetection.toString()));
    }
    connectTimeout.ifPresent(t -> key.append("+ct-").append(t.toMillis()).append("ms"));
    return key.toString();
  }

  /** Returns 10 hex digits of the SHA-256 of {@code text}. */
  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
