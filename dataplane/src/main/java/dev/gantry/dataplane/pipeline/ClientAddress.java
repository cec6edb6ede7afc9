package dev.gantry.dataplane.pipeline;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The address of the client a request comes from, as source filters judge it: the peer's; or, when
 * the peer is a trusted proxy, the nearest {@code X-Forwarded-For} hop that is not one (the hops a
 * trusted proxy appended can be believed, those before it cannot).
 */
final class ClientAddress {
  private ClientAddress() {}

  /**
   * Returns the client's address (4 or 16 bytes), or null when it cannot be told: a peer that is
   * not an IP socket, or a trusted proxy passing a hop that is not an address.
   */
  static byte[] of(Channel channel, TrustedProxies trusted, HttpHeaders headers) {
    if (!(channel.remoteAddress() instanceof InetSocketAddress peer) || peer.getAddress() == null) {
      return null;
    }
    byte[] address = peer.getAddress().getAddress();
    if (!trusted.containsAddress(address)) {
      return address;
    }
    List<String> values = headers.getAll(MessageRewriter.X_FORWARDED_FOR);
    for (int v = values.size() - 1; v >= 0; v--) {
      String[] hops = values.get(v).split(",");
      for (int h = hops.length - 1; h >= 0; h--) {
        String hop = hops[h].strip();
        if (hop.startsWith("[") && hop.endsWith("]")) {
          hop = hop.substring(1, hop.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(hop);
        if (bytes == null) {
          return null;
        }
        if (!trusted.containsAddress(bytes)) {
          return bytes;
        }
        address = bytes;
      }
    }
    return address; // every hop is a trusted proxy: the farthest is the client
  }
}
