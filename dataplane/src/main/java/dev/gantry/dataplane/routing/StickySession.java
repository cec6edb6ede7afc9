package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.health.ClusterBalancer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.time.Duration;
import java.util.List;

/**
 * Cookie session persistence issued by the proxy for one route: which cookie names the endpoint,
 * and the clusters whose endpoints it may name. Immutable; safe from any thread.
 *
 * <p>The cookie's value is the endpoint's {@linkplain ClusterBalancer#tokenOf token}, followed by
 * {@code .} and the session's expiry in epoch seconds when the session has an absolute timeout.
 *
 * @param cookieName the cookie's name
 * @param absoluteTimeout how long a session lasts from issue; {@link Duration#ZERO} for no limit
 * @param permanent whether the cookie gets {@code Max-Age} (else the browser drops it on close)
 * @param path the cookie's Path: the route's prefix, or {@code /}
 * @param clusters the route's clusters
 */
public record StickySession(
    String cookieName,
    Duration absoluteTimeout,
    boolean permanent,
    String path,
    List<UpstreamCluster> clusters) {

  public StickySession {
    requireNonNull(cookieName, "cookieName");
    requireNonNull(absoluteTimeout, "absoluteTimeout");
    requireNonNull(path, "path");
    clusters = List.copyOf(requireNonNull(clusters, "clusters"));
    if (cookieName.isEmpty()) {
      throw new IllegalArgumentException("cookieName: empty (expected: a cookie name)");
    }
    if (absoluteTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "absoluteTimeout: " + absoluteTimeout + " (expected: >= 0)");
    }
    if (permanent && absoluteTimeout.isZero()) {
      throw new IllegalArgumentException(
          "absoluteTimeout: 0 for a permanent cookie (expected: > 0, its Max-Age)");
    }
  }

  /** An endpoint a session cookie named, with its cluster. */
  public record Pin(UpstreamCluster cluster, Endpoint endpoint) {}

  /**
   * Returns the endpoint the request's session cookie names, if it names one of these clusters'
   * endpoints that is in rotation and the session has not expired; else {@code null}.
   */
  public Pin find(HttpHeaders headers, long nowEpochSeconds) {
    String value = cookie(headers);
    if (value == null) {
      return null;
    }
    int dot = value.indexOf('.');
    if (dot >= 0) {
      if (absoluteTimeout.isZero()) {
        return null;
      }
      long expiry;
      try {
        expiry = Long.parseLong(value, dot + 1, value.length(), 10);
      } catch (NumberFormatException e) {
        return null;
      }
      if (expiry <= nowEpochSeconds) {
        return null;
      }
    } else if (!absoluteTimeout.isZero()) {
      return null; // issued before the route had a timeout: re-issue
    }
    CharSequence token = dot >= 0 ? value.subSequence(0, dot) : value;
    for (int i = 0, n = clusters.size(); i < n; i++) {
      UpstreamCluster cluster = clusters.get(i);
      Endpoint endpoint = cluster.balancer().endpointOf(token);
      if (endpoint != null && cluster.balancer().inRotation(endpoint)) {
        return new Pin(cluster, endpoint);
      }
    }
    return null;
  }

  /** Returns the Set-Cookie value that pins a client to {@code endpoint}. */
  public String setCookie(Endpoint endpoint, boolean secure, long nowEpochSeconds) {
    StringBuilder cookie =
        new StringBuilder(96)
            .append(cookieName)
            .append('=')
            .append(ClusterBalancer.tokenOf(endpoint));
    if (!absoluteTimeout.isZero()) {
      cookie.append('.').append(nowEpochSeconds + absoluteTimeout.toSeconds());
    }
    cookie.append("; Path=").append(path);
    if (permanent) {
      cookie.append("; Max-Age=").append(absoluteTimeout.toSeconds());
    }
    cookie.append("; HttpOnly; SameSite=Lax");
    if (secure) {
      cookie.append("; Secure");
    }
    return cookie.toString();
  }

  private String cookie(HttpHeaders headers) {
    List<String> all = headers.getAll(HttpHeaderNames.COOKIE);
    for (int i = 0, n = all.size(); i < n; i++) {
      for (Cookie c : ServerCookieDecoder.LAX.decode(all.get(i))) {
        if (c.name().equals(cookieName)) {
          return c.value();
        }
      }
    }
    return null;
  }
}
