package dev.gantry.crds.v1alpha1;

/** What makes the proxy try a request again. */
public enum RetryCondition {
  /** The connection to the backend could not be established: the request never reached it. */
  ConnectFailure,
  /** The backend reset or closed the connection before its response head arrived. */
  Reset,
  /** The backend answered 502, 503 or 504. */
  GatewayError,
  /** An attempt took longer than perTryTimeout. */
  PerTryTimeout
}
