package dev.gantry.crds.v1alpha1;

/** An HTTP method a match may require; the set Gateway API's HTTPMethod allows. */
public enum HttpMethod {
  GET,
  HEAD,
  POST,
  PUT,
  DELETE,
  CONNECT,
  OPTIONS,
  TRACE,
  PATCH
}
