package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a route does with a request it matched. */
public sealed interface RouteAction {

  /** Forwards to one of several clusters, chosen in proportion to the weights. */
  record Forward(List<WeightedCluster> clusters) implements RouteAction {
    public Forward {
      clusters = List.copyOf(requireNonNull(clusters, "clusters"));
      if (clusters.isEmpty()) {
        throw new IllegalArgumentException("clusters: [] (expected: at least one)");
      }
    }
  }

  /** Answers with a fixed status and body. */
  record DirectResponse(int status, String body) implements RouteAction {
    public DirectResponse {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
      }
      requireNonNull(body, "body");
    }
  }

  /**
   * Answers with a redirect whose Location is the request's URL with these parts replaced.
   *
   * @param scheme "http", "https", or empty to keep the request's
   * @param hostname empty to keep the request's
   * @param port 0 to derive it (see the protocol's RedirectAction)
   * @param statusCode 301, 302, 303, 307 or 308
   */
  record Redirect(
      String scheme, String hostname, int port, Optional<PathModifier> path, int statusCode)
      implements RouteAction {
    private static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);

    public Redirect {
      requireNonNull(scheme, "scheme");
      requireNonNull(hostname, "hostname");
      requireNonNull(path, "path");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      if (!STATUSES.contains(statusCode)) {
        throw new IllegalArgumentException(
            "statusCode: " + statusCode + " (expected: 301, 302, 303, 307 or 308)");
      }
    }
  }

  /** A cluster name with a relative weight; weight 0 receives nothing. */
  record WeightedCluster(String cluster, int weight) {
    public WeightedCluster {
      requireNonNull(cluster, "cluster");
      if (weight < 0) {
        throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
      }
    }
  }
}
