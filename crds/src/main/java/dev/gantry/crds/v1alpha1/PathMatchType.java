package dev.gantry.crds.v1alpha1;

/** How a path value is compared with the request path; names as in Gateway API. */
public enum PathMatchType {
  PathPrefix,
  Exact,
  RegularExpression
}
