/**
 * TLS passthrough: connections whose ClientHello names a {@code tcp_proxy} host are relayed as raw
 * bytes to an endpoint of its clusters, never terminated.
 *
 * <pre>
 *   client ─ClientHello─> PassthroughSniHandler ── SNI names no passthrough host ──> CertificateSniHandler (terminates)
 *                               │ passthrough host: pick endpoint, connect on the same event loop
 *                               v
 *   client <──bytes──> Relay.ClientSide (holds bytes until connected)            endpoint
 *   client <──bytes──> ByteRelay (channel package, shared with WebSocket) <──bytes──> endpoint
 *
 *   backpressure: a side whose peer is not writable stops reading (autoRead off) until the peer
 *   drains; FIN from one side becomes shutdownOutput on the other (half-close)
 * </pre>
 */
package dev.gantry.dataplane.relay;
