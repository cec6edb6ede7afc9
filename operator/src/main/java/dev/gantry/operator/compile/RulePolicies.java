package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.HashSource;
import dev.gantry.crds.v1alpha1.LoadBalancer;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.operator.ir.ClusterPolicy;
import dev.gantry.operator.ir.LbPolicy;
import dev.gantry.operator.ir.RoutePolicy;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A rule's balancing, endpoint health and body-limit settings: checked ({@link #validate}) and
 * turned into the intermediate model. Pure.
 */
final class RulePolicies {
  // RFC 9110 token: header and cookie names.
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private RulePolicies() {}

  /**
   * Returns what is wrong with the rule's loadBalancer, healthCheck, outlierDetection,
   * sessionPersistence or requestBodyLimit, if anything.
   */
  static Optional<String> validate(Rule rule) {
    LoadBalancer lb = rule.loadBalancer();
    if (lb != null) {
      boolean hashing = isHashing(lb);
      if (!lb.hashOnOrEmpty().isEmpty() && !hashing) {
        return Optional.of(
            ".loadBalancer.hashOn: applies to the RingHash and Maglev policies only");
      }
      List<HashSource> sources = lb.hashOnOrEmpty();
      for (int i = 0; i < sources.size(); i++) {
        HashSource s = sources.get(i);
        int set =
            (s.header() != null ? 1 : 0)
                + (s.cookie() != null ? 1 : 0)
                + (Boolean.TRUE.equals(s.sourceIP()) ? 1 : 0);
        String where = ".loadBalancer.hashOn[" + i + "]";
        if (set != 1) {
          return Optional.of(where + ": sets exactly one of header, cookie and sourceIP: true");
        }
        String name = s.header() != null ? s.header() : s.cookie();
        if (name != null && !TOKEN.matcher(name).matches()) {
          return Optional.of(where + ": \"" + name + "\" is not a header or cookie name");
        }
      }
    }
    Optional<String> health = HealthPolicies.validate(rule);
    if (health.isPresent()) {
      return health;
    }
    if (rule.requestBodyLimit() != null) {
      Optional<Long> bytes = bytesOf(rule.requestBodyLimit());
      if (bytes.isEmpty() || bytes.get() <= 0) {
        return Optional.of(
            ".requestBodyLimit: \""
                + rule.requestBodyLimit()
                + "\" is not a positive size (expected e.g. 10Mi or 500k)");
      }
    }
    return Optional.empty();
  }

  /** Returns the policy for the endpoints of the rule's backends. */
  static ClusterPolicy clusterPolicy(Rule rule) {
    return new ClusterPolicy(
        lbPolicy(rule),
        HealthPolicies.healthCheckOf(rule),
        HealthPolicies.outlierDetectionOf(rule));
  }

  /** Returns the rule's balancing policy; round robin when it names none. */
  private static LbPolicy lbPolicy(Rule rule) {
    if (rule.loadBalancer() == null) {
      return LbPolicy.ROUND_ROBIN;
    }
    return switch (rule.loadBalancer().policyOrDefault()) {
      case RoundRobin -> LbPolicy.ROUND_ROBIN;
      case Random -> LbPolicy.RANDOM;
      case LeastRequest -> LbPolicy.LEAST_REQUEST;
      case RingHash -> LbPolicy.RING_HASH;
      case Maglev -> LbPolicy.MAGLEV;
    };
  }

  /** Returns the rule's route policy; the rule must have passed {@link #validate}. */
  static RoutePolicy routePolicy(Rule rule) {
    List<RoutePolicy.HashSource> hashOn = new ArrayList<>();
    if (rule.loadBalancer() != null) {
      for (HashSource s : rule.loadBalancer().hashOnOrEmpty()) {
        hashOn.add(
            s.header() != null
                ? new RoutePolicy.HashSource.Header(s.header())
                : s.cookie() != null
                    ? new RoutePolicy.HashSource.Cookie(s.cookie())
                    : new RoutePolicy.HashSource.SourceIp());
      }
    }
    long limit = rule.requestBodyLimit() == null ? 0 : bytesOf(rule.requestBodyLimit()).orElse(0L);
    RoutePolicy policy = new RoutePolicy(hashOn, limit, HealthPolicies.sessionOf(rule));
    return policy.equals(RoutePolicy.NONE) ? RoutePolicy.NONE : policy;
  }

  private static boolean isHashing(LoadBalancer lb) {
    return switch (lb.policyOrDefault()) {
      case RingHash, Maglev -> true;
      default -> false;
    };
  }

  private static Optional<Long> bytesOf(Quantity quantity) {
    try {
      BigDecimal bytes = Quantity.getAmountInBytes(quantity);
      return Optional.of(bytes.longValueExact());
    } catch (ArithmeticException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
