package dev.gantry.crds.v1alpha1;

/** The kind of a rule filter; names as in Gateway API's HTTPRouteFilterType. */
public enum FilterType {
  RequestHeaderModifier,
  ResponseHeaderModifier,
  RequestRedirect,
  URLRewrite,
  RequestMirror
}
