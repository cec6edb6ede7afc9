package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * How the dataplane treats the endpoints of one Service port: balancing (and, as they land, health
 * checking, outlier detection and circuit breaking). Rules that ask for different policies on the
 * same Service port get clusters of their own, told apart by {@link #key()}.
 */
public record ClusterPolicy(LbPolicy lbPolicy) {

  /** The policy of a rule that asks for nothing: round robin. */
  public static final ClusterPolicy DEFAULT = new ClusterPolicy(LbPolicy.ROUND_ROBIN);

  public ClusterPolicy {
    requireNonNull(lbPolicy, "lbPolicy");
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
    return lbPolicy.name().toLowerCase(Locale.ROOT);
  }
}
