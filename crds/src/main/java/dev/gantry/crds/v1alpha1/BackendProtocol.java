package dev.gantry.crds.v1alpha1;

/** How the proxy speaks to a backend, when the Service port's appProtocol should not decide. */
public enum BackendProtocol {
  /** HTTP/1.1 with keep-alive. */
  HTTP,
  /** Cleartext HTTP/2 by prior knowledge (gRPC without TLS, for instance). */
  H2C,
  /** HTTP/1.1 over TLS. */
  TLS,
  /** HTTP/2 over TLS, agreed by ALPN (gRPC over TLS, for instance). */
  H2
}
