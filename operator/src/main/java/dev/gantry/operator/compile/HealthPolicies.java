package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.HealthCheck;
import dev.gantry.crds.v1alpha1.OutlierDetection;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.crds.v1alpha1.SessionPersistence;
import dev.gantry.crds.v1alpha1.SessionPersistenceType;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A rule's health check, outlier detection and session persistence: checked ({@link #validate}) and
 * turned into the intermediate model with the documented defaults filled in. Pure.
 */
final class HealthPolicies {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern PATH = Pattern.compile("/[!-~]*");
  private static final Pattern VISIBLE = Pattern.compile("[!-~]+");

  private HealthPolicies() {}

  /** Returns what is wrong with the rule's healthCheck, outlierDetection or sessionPersistence. */
  static Optional<String> validate(Rule rule) {
    return firstOf(
        checkHealth(rule.healthCheck()), checkOutlier(rule.outlierDetection()), checkSession(rule));
  }

  @SafeVarargs
  private static Optional<String> firstOf(Optional<String>... problems) {
    for (Optional<String> p : problems) {
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> checkHealth(HealthCheck hc) {
    if (hc == null) {
      return Optional.empty();
    }
    String where = ".healthCheck";
    if (hc.path() == null || !PATH.matcher(hc.path()).matches()) {
      return Optional.of(
          where + ".path: \"" + hc.path() + "\" is not a path (expected e.g. /healthz)");
    }
    Optional<String> interval = positive(where + ".interval", hc.interval());
    if (interval.isPresent()) {
      return interval;
    }
    Optional<String> timeout = positive(where + ".timeout", hc.timeout());
    if (timeout.isPresent()) {
      return timeout;
    }
    if (hc.healthyThreshold() != null && hc.healthyThreshold() < 1) {
      return Optional.of(
          where + ".healthyThreshold: " + hc.healthyThreshold() + " (expected >= 1)");
    }
    if (hc.unhealthyThreshold() != null && hc.unhealthyThreshold() < 1) {
      return Optional.of(
          where + ".unhealthyThreshold: " + hc.unhealthyThreshold() + " (expected >= 1)");
    }
    if (hc.host() != null && !VISIBLE.matcher(hc.host()).matches()) {
      return Optional.of(where + ".host: \"" + hc.host() + "\" is not a host name");
    }
    var range = hc.expectedStatus();
    if (range != null
        && (range.from() == null
            || range.to() == null
            || range.from() < 100
            || range.to() > 599
            || range.from() > range.to())) {
      return Optional.of(
          where
              + ".expectedStatus: "
              + (range.from() + ".." + range.to())
              + " (expected 100 <= from <= to <= 599)");
    }
    return Optional.empty();
  }

  private static Optional<String> checkOutlier(OutlierDetection od) {
    if (od == null) {
      return Optional.empty();
    }
    String where = ".outlierDetection";
    if (od.consecutiveGatewayErrors() != null && od.consecutiveGatewayErrors() < 0) {
      return Optional.of(
          where
              + ".consecutiveGatewayErrors: "
              + od.consecutiveGatewayErrors()
              + " (expected >= 0, 0 for off)");
    }
    if (od.consecutive5xx() != null && od.consecutive5xx() < 0) {
      return Optional.of(
          where + ".consecutive5xx: " + od.consecutive5xx() + " (expected >= 0, 0 for off)");
    }
    if (od.maxEjectionPercent() != null
        && (od.maxEjectionPercent() < 0 || od.maxEjectionPercent() > 100)) {
      return Optional.of(
          where + ".maxEjectionPercent: " + od.maxEjectionPercent() + " (expected 0..100)");
    }
    Optional<String> base = positive(where + ".baseEjectionTime", od.baseEjectionTime());
    if (base.isPresent()) {
      return base;
    }
    Optional<String> max = positive(where + ".maxEjectionTime", od.maxEjectionTime());
    if (max.isPresent()) {
      return max;
    }
    Duration baseTime =
        duration(od.baseEjectionTime(), OutlierDetection.DEFAULT_BASE_EJECTION_TIME);
    Duration maxTime = duration(od.maxEjectionTime(), OutlierDetection.DEFAULT_MAX_EJECTION_TIME);
    if (maxTime.compareTo(baseTime) < 0) {
      return Optional.of(
          where
              + ".maxEjectionTime: "
              + Objects.requireNonNullElse(
                  od.maxEjectionTime(), OutlierDetection.DEFAULT_MAX_EJECTION_TIME)
              + " is shorter than baseEjectionTime "
              + Objects.requireNonNullElse(
                  od.baseEjectionTime(), OutlierDetection.DEFAULT_BASE_EJECTION_TIME));
    }
    return Optional.empty();
  }

  private static Optional<String> checkSession(Rule rule) {
    SessionPersistence sp = rule.sessionPersistence();
    if (sp == null) {
      return Optional.empty();
    }
    String where = ".sessionPersistence";
    if (rule.backendRefsOrEmpty().isEmpty()) {
      return Optional.of(where + ": applies to rules with backendRefs only");
    }
    if (sp.type() == SessionPersistenceType.Header) {
      return Optional.of(where + ".type: Header is not supported (expected Cookie)");
    }
    if (sp.sessionName() != null && !TOKEN.matcher(sp.sessionName()).matches()) {
      return Optional.of(where + ".sessionName: \"" + sp.sessionName() + "\" is not a cookie name");
    }
    Optional<String> timeout = positive(where + ".absoluteTimeout", sp.absoluteTimeout());
    if (timeout.isPresent()) {
      return timeout;
    }
    if (permanent(sp) && sp.absoluteTimeout() == null) {
      return Optional.of(
          where + ".cookieConfig.lifetimeType: Permanent needs absoluteTimeout (its Max-Age)");
    }
    return Optional.empty();
  }

  /** Returns a problem unless {@code text} is absent or a Gateway API duration above zero. */
  private static Optional<String> positive(String where, String text) {
    if (text == null) {
      return Optional.empty();
    }
    Optional<Duration> d = GatewayDuration.parse(text);
    if (d.isEmpty() || d.get().isZero()) {
      return Optional.of(
          where + ": \"" + text + "\" is not a duration above zero (expected e.g. 5s or 500ms)");
    }
    return Optional.empty();
  }

  /** Returns the rule's health check; the rule must have passed {@link #validate}. */
  static Optional<dev.gantry.operator.ir.HealthCheck> healthCheckOf(Rule rule) {
    HealthCheck hc = rule.healthCheck();
    if (hc == null) {
      return Optional.empty();
    }
    return Optional.of(
        new dev.gantry.operator.ir.HealthCheck(
            hc.path(),
            duration(hc.interval(), HealthCheck.DEFAULT_INTERVAL),
            duration(hc.timeout(), HealthCheck.DEFAULT_TIMEOUT),
            Objects.requireNonNullElse(
                hc.healthyThreshold(), HealthCheck.DEFAULT_HEALTHY_THRESHOLD),
            Objects.requireNonNullElse(
                hc.unhealthyThreshold(), HealthCheck.DEFAULT_UNHEALTHY_THRESHOLD),
            Objects.requireNonNullElse(hc.host(), ""),
            hc.expectedStatus() == null ? 200 : hc.expectedStatus().from(),
            hc.expectedStatus() == null ? 399 : hc.expectedStatus().to()));
  }

  /** Returns the rule's outlier detection, the defaults when it sets none. */
  static dev.gantry.operator.ir.OutlierDetection outlierDetectionOf(Rule rule) {
    return rule.outlierDetection() == null
        ? dev.gantry.operator.ir.OutlierDetection.DEFAULT
        : outlierOf(rule.outlierDetection());
  }

  private static dev.gantry.operator.ir.OutlierDetection outlierOf(OutlierDetection od) {
    var d = dev.gantry.operator.ir.OutlierDetection.DEFAULT;
    return new dev.gantry.operator.ir.OutlierDetection(
        Objects.requireNonNullElse(od.consecutiveGatewayErrors(), d.consecutiveGatewayErrors()),
        Objects.requireNonNullElse(od.consecutive5xx(), d.consecutive5xx()),
        duration(od.baseEjectionTime(), OutlierDetection.DEFAULT_BASE_EJECTION_TIME),
        duration(od.maxEjectionTime(), OutlierDetection.DEFAULT_MAX_EJECTION_TIME),
        Objects.requireNonNullElse(od.maxEjectionPercent(), d.maxEjectionPercent()));
  }

  /** Returns the rule's session persistence; the rule must have passed {@link #validate}. */
  static Optional<dev.gantry.operator.ir.SessionPersistence> sessionOf(Rule rule) {
    SessionPersistence sp = rule.sessionPersistence();
    if (sp == null) {
      return Optional.empty();
    }
    return Optional.of(
        new dev.gantry.operator.ir.SessionPersistence(
            Objects.requireNonNullElse(sp.sessionName(), SessionPersistence.DEFAULT_SESSION_NAME),
            sp.absoluteTimeout() == null ? Duration.ZERO : duration(sp.absoluteTimeout(), "0s"),
            permanent(sp)));
  }

  private static boolean permanent(SessionPersistence sp) {
    return sp.cookieConfig() != null
        && sp.cookieConfig().lifetimeType() == SessionPersistence.LifetimeType.Permanent;
  }

  private static Duration duration(String text, String fallback) {
    return GatewayDuration.parse(text == null ? fallback : text).orElseThrow();
  }
}
