package dev.gantry.crds.v1alpha1;

/** How a header or query parameter value is compared; names as in Gateway API. */
public enum ValueMatchType {
  Exact,
  RegularExpression
}
