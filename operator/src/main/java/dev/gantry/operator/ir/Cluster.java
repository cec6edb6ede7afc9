package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The ready endpoints of one Service port, named {@code namespace/service:port}. A cluster with no
 * endpoints answers 503; {@code emptyReason} says why when the compiler knows.
 */
public record Cluster(String name, List<Endpoint> endpoints, String emptyReason) {
  public Cluster {
    requireNonNull(name, "name");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    requireNonNull(emptyReason, "emptyReason");
  }

  /** Returns the cluster name for a Service port. */
  public static String nameOf(String namespace, String service, int port) {
    return namespace + "/" + service + ":" + port;
  }
}
