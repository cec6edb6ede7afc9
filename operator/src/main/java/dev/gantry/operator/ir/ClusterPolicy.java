package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How the dataplane treats the endpoints of one Service port: balancing and circuit breaking (and,
 * as they land, health checking and outlier detection). Rules that ask for different policies on
 * the same Service port get clusters of their own, told apart by {@link #key()}.
 */
public record ClusterPolicy(LbPolicy lbPolicy, CircuitBreakers circuitBreakers) {

  /** The policy of a rule that asks for nothing: round robin, no limits. */
  public static final ClusterPolicy DEFAULT =
      new ClusterPolicy(LbPolicy.ROUND_ROBIN, CircuitBreakers.NONE);

  public ClusterPolicy {
    requireNonNull(lbPolicy, "lbPolicy");
    requireNonNull(circuitBreakers, "circuitBreakers");
  }

  /** Returns a policy with default limits. */
  public ClusterPolicy(LbPolicy lbPolicy) {
    this(lbPolicy, CircuitBreakers.NONE);
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
   * it injective; a part too long to read (a health check) contributes a short digest of itself.
   */
  public String key() {
    String key = lbPolicy.name().toLowerCase(Locale.ROOT);
    if (!circuitBreakers.equals(CircuitBreakers.NONE)) {
      key += "-cb-" + digest(circuitBreakers.canonical());
    }
    return key;
  }

  /** Returns the first 8 hex digits of the SHA-256 of {@code text}. */
  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
