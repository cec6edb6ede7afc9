/**
 * Channel handlers that both sides of the proxy use, the client side and the upstream side: the
 * idle timeout, and {@link dev.gantry.dataplane.channel.ByteRelay}, which copies bytes between two
 * connections once they no longer speak HTTP (an upgraded WebSocket, a TLS passthrough).
 */
package dev.gantry.dataplane.channel;
