package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.balance.RequestHash;
import dev.gantry.dataplane.balance.WeightedChoice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/** What the proxy does with a request once a route matched. Immutable; safe from any thread. */
public sealed interface RouteAction {

  /**
   * Forwards the request to one of the clusters, chosen in proportion to their weights; {@code
   * hash} keys the endpoint pick of consistent-hashing clusters; {@code session}, when not null,
   * pins clients to endpoints with a cookie.
   */
  record Forward(WeightedChoice<UpstreamCluster> clusters, RequestHash hash, StickySession session)
      implements RouteAction {

    public Forward {
      requireNonNull(clusters, "clusters");
      requireNonNull(hash, "hash");
    }

    /** Returns a forward without session persistence. */
    public Forward(WeightedChoice<UpstreamCluster> clusters, RequestHash hash) {
      this(clusters, hash, null);
    }
  }

  /**
   * Answers the request itself.
   *
   * @param status an HTTP status, 200..599
   * @param body the body; kept as given, never mutated (a private copy is taken)
   * @param contentType the Content-Type to send with a non-empty body
   */
  record Respond(int status, byte[] body, String contentType) implements RouteAction {

    /** Content-Type used when the snapshot leaves it empty. */
    public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";

    public Respond {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
      }
      body = requireNonNull(body, "body").clone();
      requireNonNull(contentType, "contentType");
      if (contentType.isEmpty()) {
        contentType = DEFAULT_CONTENT_TYPE;
      }
    }

    /** Returns a copy of the body. */
    @Override
    public byte[] body() {
      return body.clone();
    }

    /** Returns the body length without copying it. */
    public int bodyLength() {
      return body.length;
    }

    /**
     * Returns a new read-only buffer over the body, without copying it. The caller owns the
     * returned buffer (releasing it frees nothing shared).
     */
    public ByteBuf bodyBuffer() {
      return Unpooled.wrappedBuffer(body).asReadOnly();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Respond r
          && r.status == status
          && Arrays.equals(r.body, body)
          && r.contentType.equals(contentType);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * status + Arrays.hashCode(body)) + contentType.hashCode();
    }

    @Override
    public String toString() {
      return "Respond[status="
          + status
          + ", body="
          + body.length
          + " bytes, contentType="
          + contentType
          + "]";
    }
  }

  /**
   * Answers with a redirect to the request's URL with some parts replaced.
   *
   * @param scheme "http", "https", or {@code ""} to keep the request's
   * @param host the host, or {@code ""} to keep the request's
   * @param port the port, or 0 to derive it: the scheme's well-known port when {@code scheme} is
   *     set, else the port of the request's Host header
   * @param path the new path, or {@code null} to keep the request's
   * @param status 301, 302, 303, 307 or 308
   */
  record Redirect(String scheme, String host, int port, PathRewrite path, int status)
      implements RouteAction {

    public Redirect {
      requireNonNull(scheme, "scheme");
      requireNonNull(host, "host");
      if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("scheme: " + scheme + " (expected: http or https)");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
        throw new IllegalArgumentException(
            "status: " + status + " (expected: 301, 302, 303, 307 or 308)");
      }
    }

    /**
     * Returns the Location for a request.
     *
     * @param requestScheme the scheme the client used
     * @param authority the request's Host (or absolute-form authority), possibly with a port;
     *     {@code null} when it named none (then, without a redirect host, the Location is relative)
     * @param path the request path without query
     * @param target the request target in origin form; its query string is kept
     */
    public String location(String requestScheme, String authority, String path, String target) {
      String s = scheme.isEmpty() ? requestScheme : scheme;
      String requestHost = authority == null ? "" : HostIndex.normalize(authority);
      String h = host.isEmpty() ? requestHost : host;
      int p = port;
      if (p == 0 && scheme.isEmpty()) {
        p = portOf(authority);
      }
      boolean wellKnown =
          p == 0 || (s.equals("http") && p == 80) || (s.equals("https") && p == 443);
      int query = target.indexOf('?');
      StringBuilder location = new StringBuilder();
      if (!h.isEmpty()) { // else a request without Host: a relative Location (RFC 9110 §10.2.2)
        location.append(s).append("://").append(h);
        if (!wellKnown) {
          location.append(':').append(p);
        }
      }
      location.append(this.path == null ? path : this.path.apply(path));
      if (query >= 0) {
        location.append(target, query, target.length());
      }
      return location.toString();
    }

    /** Returns the port of an authority, 0 when it has none. */
    private static int portOf(String authority) {
      if (authority == null) {
        return 0;
      }
      int close = authority.lastIndexOf(']');
      int colon = authority.lastIndexOf(':');
      if (colon <= close || colon == authority.length() - 1) {
        return 0;
      }
      try {
        return Integer.parseInt(authority, colon + 1, authority.length(), 10);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }
}
