/**
 * TLS termination: the certificates of each snapshot turned into server contexts, one per
 * certificate and host TLS policy, and the SNI handler that picks one per connection.
 *
 * <pre>
 *   Snapshot ─▶ certificates ─(name, SHA-256 of the PEM bytes)─▶ KeyMaterial (cached)
 *            └▶ virtual hosts: domains, certificate, TlsPolicy ─▶ SslContext per (certificate, policy), cached
 *                                                              └▶ CertificateTable ─▶ swapped in whole
 *
 *   ClientHello ─▶ CertificateSniHandler ─▶ current table: exact name, wildcard one label up, default
 *                      │ a context: replaced by its SslHandler    │ none: alert unrecognized_name, close
 *                      │ policy kept on the connection            │ policy not buildable: handshake_failure
 *                      ▼ handshake done: X-Forwarded-Client-Cert of the verified client certificate
 * </pre>
 *
 * A certificate that does not load is skipped and counted, a policy that cannot be built refuses
 * its hosts' handshakes; neither is a reason to refuse the snapshot. The request path compares the
 * connection's policy ({@link dev.gantry.dataplane.tls.TlsConnection}) with the one of each
 * request's host: a different one is answered 421. Session tickets are encrypted under keys shared
 * by every context and rotated hourly ({@link
 * dev.gantry.dataplane.tls.CertificateStore#scheduleTicketKeyRotation}); a policy's contexts accept
 * only their own policy's sessions.
 */
package dev.gantry.dataplane.tls;
