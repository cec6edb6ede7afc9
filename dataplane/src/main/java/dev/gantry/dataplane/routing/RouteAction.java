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
   * hash} keys the endpoint pick of consistent-hashing clusters.
   */
  record Forward(WeightedChoice<UpstreamCluster> clusters, RequestHash hash)
      implements RouteAction {

    public Forward {
      requireNonNull(clusters, "clusters");
      requireNonNull(hash, "hash");
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
}
