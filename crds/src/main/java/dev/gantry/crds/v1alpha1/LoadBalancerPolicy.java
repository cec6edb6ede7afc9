package dev.gantry.crds.v1alpha1;

/** How a rule's requests spread over a backend's endpoints. */
public enum LoadBalancerPolicy {
  RoundRobin,
  Random,
  LeastRequest,
  RingHash,
  Maglev
}
