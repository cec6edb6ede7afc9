package dev.gantry.dataplane.snapshot;

import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.HealthCheck;
import dev.gantry.protocol.v1.OutlierDetection;
import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.SessionPersistence;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds what this dataplane cannot apply in a cluster's health check and outlier detection, and in
 * a route's session persistence. Pure; safe from any thread.
 */
final class ClusterHealthValidator {
  // RFC 6265 cookie-name: an RFC 9110 token.
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private ClusterHealthValidator() {}

  static void checkCluster(Cluster cluster, List<String> problems) {
    String where = "cluster " + cluster.getName();
    if (cluster.hasHealthCheck()) {
      checkHealthCheck(where + " health_check", cluster.getHealthCheck(), problems);
    }
    if (cluster.hasOutlierDetection()) {
      checkOutlier(where + " outlier_detection", cluster.getOutlierDetection(), problems);
    }
  }

  private static void checkHealthCheck(String where, HealthCheck check, List<String> problems) {
    String path = check.getPath();
    if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      problems.add(
          where + " has path \"" + path + "\" (expected: an origin-form path like /healthz)");
    }
    if (!positive(check.getInterval())) {
      problems.add(where + " has interval " + text(check.getInterval()) + " (expected: > 0)");
    }
    if (!positive(check.getTimeout())) {
      problems.add(where + " has timeout " + text(check.getTimeout()) + " (expected: > 0)");
    }
    if (check.getHealthyThreshold() < 1) {
      problems.add(
          where
              + " has healthy_threshold "
              + Integer.toUnsignedLong(check.getHealthyThreshold())
              + " (expected: >= 1)");
    }
    if (check.getUnhealthyThreshold() < 1) {
      problems.add(
          where
              + " has unhealthy_threshold "
              + Integer.toUnsignedLong(check.getUnhealthyThreshold())
              + " (expected: >= 1)");
    }
    long min = Integer.toUnsignedLong(check.getExpectedStatusMin());
    long max = Integer.toUnsignedLong(check.getExpectedStatusMax());
    if (!(min == 0 && max == 0) && (min < 100 || max > 599 || min > max)) {
      problems.add(
          where
              + " expects statuses "
              + min
              + ".."
              + max
              + " (expected: 100 <= min <= max <= 599, or both 0 for 200..399)");
    }
    if (check.getHost().chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      problems.add(where + " has a host with spaces or control characters");
    }
  }

  private static void checkOutlier(String where, OutlierDetection od, List<String> problems) {
    boolean counts = od.getConsecutiveGatewayErrors() != 0 || od.getConsecutive5Xx() != 0;
    if (counts && !positive(od.getBaseEjectionTime())) {
      problems.add(
          where + " has base_ejection_time " + text(od.getBaseEjectionTime()) + " (expected: > 0)");
    }
    if (counts && compare(od.getMaxEjectionTime(), od.getBaseEjectionTime()) < 0) {
      problems.add(
          where
              + " has max_ejection_time "
              + text(od.getMaxEjectionTime())
              + " (expected: >= base_ejection_time)");
    }
    long percent = Integer.toUnsignedLong(od.getMaxEjectionPercent());
    if (percent > 100) {
      problems.add(where + " has max_ejection_percent " + percent + " (expected: 0..100)");
    }
  }

  static void checkSession(String where, Route route, List<String> problems) {
    if (!route.hasSessionPersistence()) {
      return;
    }
    SessionPersistence sp = route.getSessionPersistence();
    where = where + " session_persistence";
    if (route.getActionCase() != Route.ActionCase.FORWARD) {
      problems.add(where + " is set on a route that does not forward");
    }
    if (!TOKEN.matcher(sp.getCookieName()).matches()) {
      problems.add(
          where + " has cookie_name \"" + sp.getCookieName() + "\" (expected: a cookie name)");
    }
    com.google.protobuf.Duration timeout = sp.getAbsoluteTimeout();
    if (timeout.getSeconds() < 0 || timeout.getNanos() < 0) {
      problems.add(where + " has a negative absolute_timeout");
    } else if (sp.getPermanent() && timeout.getSeconds() < 1) {
      problems.add(
          where + " is permanent without an absolute_timeout (expected: >= 1s, its Max-Age)");
    }
  }

  private static boolean positive(com.google.protobuf.Duration d) {
    return d.getSeconds() > 0 || (d.getSeconds() == 0 && d.getNanos() > 0);
  }

  private static int compare(com.google.protobuf.Duration a, com.google.protobuf.Duration b) {
    int bySeconds = Long.compare(a.getSeconds(), b.getSeconds());
    return bySeconds != 0 ? bySeconds : Integer.compare(a.getNanos(), b.getNanos());
  }

  private static String text(com.google.protobuf.Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()).toString();
  }
}
