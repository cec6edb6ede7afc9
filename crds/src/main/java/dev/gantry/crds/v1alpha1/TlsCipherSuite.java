package dev.gantry.crds.v1alpha1;

/**
 * The TLS 1.2 cipher suites a route may choose, by IANA name: the ECDHE AEAD suites, the only ones
 * HTTP/2 allows (RFC 9113 §9.2.2), so that narrowing the list never breaks HTTP/2.
 */
public enum TlsCipherSuite {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
}
