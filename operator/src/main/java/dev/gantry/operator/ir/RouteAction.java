package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

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
