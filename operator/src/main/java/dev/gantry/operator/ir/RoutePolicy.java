package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Per-route request policies: what consistent hashing hashes, the largest request body, retries and
 * cookie session persistence.
 *
 * @param hashOn hash sources, the first present in a request wins; empty for none
 * @param maxRequestBodyBytes the largest request body, 0 for no limit
 * @param retry the rule's retries; empty for the dataplane default
 * @param session the proxy-issued session cookie, empty for none
 * @param cors the rule's CORS policy, empty for none
 * @param grpcWeb whether gRPC-Web calls are translated for HTTP/2 backends
 * @param websocket whether WebSocket upgrades are forwarded and relayed
 */
public record RoutePolicy(
    List<HashSource> hashOn,
    long maxRequestBodyBytes,
    Optional<RetryPolicy> retry,
    Optional<SessionPersistence> session,
    Optional<CorsPolicy> cors,
    boolean grpcWeb,
    boolean websocket,
    Optional<SourceRanges> sources,
    Optional<RateLimit> rateLimit) {
  public static final RoutePolicy NONE =
      new RoutePolicy(
          List.of(),
          0,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          true,
          true,
          Optional.empty(),
          Optional.empty());

  /** Returns a policy with the default retries and without session persistence. */
  public RoutePolicy(List<HashSource> hashOn, long maxRequestBodyBytes) {
    this(
        hashOn,
        maxRequestBodyBytes,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        true,
        true,
        Optional.empty(),
        Optional.empty());
  }

  /** One thing consistent hashing may hash. */
  public sealed interface HashSource {
    record Header(String name) implements HashSource {
      public Header {
        requireNonNull(name, "name");
      }
    }

    record Cookie(String name) implements HashSource {
      public Cookie {
        requireNonNull(name, "name");
      }
    }

    record SourceIp() implements HashSource {}
  }

  public RoutePolicy {
    hashOn = List.copyOf(requireNonNull(hashOn, "hashOn"));
    requireNonNull(retry, "retry");
    requireNonNull(session, "session");
    requireNonNull(cors, "cors");
    requireNonNull(sources, "sources");
    requireNonNull(rateLimit, "rateLimit");
    if (maxRequestBodyBytes < 0) {
      throw new IllegalArgumentException(
          "maxRequestBodyBytes: " + maxRequestBodyBytes + " (expected: >= 0, 0 for no limit)");
    }
  }
}
