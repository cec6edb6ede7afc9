package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.tls.TlsConnection;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What the proxy knows about the hop a request arrived on, for the forwarding headers it sends
 * upstream.
 *
 * @param peerAddress the client's IP address as text; {@code null} when unknown
 * @param trustedPeer whether the peer is a trusted proxy, whose forwarding headers are kept
 * @param scheme the scheme the peer used ({@code http})
 * @param websocketRoute whether the route proxies WebSocket, so that an {@code Upgrade: websocket}
 *     goes upstream; always false until WebSocket routes exist
 * @param clientCertificate the X-Forwarded-Client-Cert value of the client certificate the TLS
 *     handshake verified; {@code null} when it verified none (or on cleartext)
 */
record Forwarding(
    String peerAddress,
    boolean trustedPeer,
    String scheme,
    boolean websocketRoute,
    String clientCertificate) {

  Forwarding {
    requireNonNull(scheme, "scheme");
  }

  /** A hop without a verified client certificate. */
  Forwarding(String peerAddress, boolean trustedPeer, String scheme, boolean websocketRoute) {
    this(peerAddress, trustedPeer, scheme, websocketRoute, null);
  }

  /** Returns the forwarding facts of a connection from {@code channel}'s peer. */
  static Forwarding of(Channel channel, TrustedProxies trustedProxies, String scheme) {
    InetAddress peer =
        channel.remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
    return new Forwarding(
        peer == null ? null : peer.getHostAddress(),
        trustedProxies.contains(peer),
        scheme,
        false, // WebSocket routes: take the route's switch here once they exist
        TlsConnection.forwardedClientCert(channel));
  }
}
