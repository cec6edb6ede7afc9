/**
 * TLS termination: the certificates of each snapshot turned into server contexts, and the SNI
 * handler that picks one per connection.
 *
 * <pre>
 *   Snapshot ─▶ certificates ─(name, SHA-256 of the PEM bytes)─▶ KeyMaterial ─▶ SslContext (cached)
 *            └▶ virtual hosts: domains + certificate name ───────▶ CertificateTable ─▶ swapped in whole
 *
 *   ClientHello ─▶ CertificateSniHandler ─▶ current table: exact name, wildcard one label up, default
 *                      │ a context: replaced by its SslHandler    │ none: alert unrecognized_name, close
 * </pre>
 *
 * A certificate that does not load is skipped and counted, never a reason to refuse the snapshot.
 * Session tickets are encrypted under keys shared by every context and rotated hourly ({@link
 * dev.gantry.dataplane.tls.CertificateStore#scheduleTicketKeyRotation}).
 */
package dev.gantry.dataplane.tls;
