package dev.gantry.dataplane.balance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Rotates over endpoints in proportion to their weights; see {@link WeightedChoice}. Thread-safe,
 * lock-free.
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

  private final List<Endpoint> endpoints;
  private final WeightedChoice<Endpoint> choice;

  RoundRobinLoadBalancer(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    this.choice =
        this.endpoints.isEmpty()
            ? null
            : WeightedChoice.of(
                this.endpoints, this.endpoints.stream().map(Endpoint::weight).toList());
  }

  @Override
  public Endpoint pick() {
    return choice == null ? null : choice.pick();
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  @Override
  public String toString() {
    return "RoundRobinLoadBalancer" + endpoints;
  }
}
