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
    byte[] address = unmapped(peer.getAddress().getAddress());
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
        bytes = unmapped(bytes);
        if (!trusted.containsAddress(bytes)) {
          return bytes;
        }
        address = bytes;
      }
    }
    return address; // every hop is a trusted proxy: the farthest is the client
  }

  /**
   * Returns an IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}, as a dual-stack listener sees
   * IPv4 clients) as the IPv4 address it maps, so that IPv4 ranges match it; any other as it is.
   */
  static byte[] unmapped(byte[] address) {
    if (address.length != 16 || address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return address;
      }
    }
    return new byte[] {address[12], address[13], address[14], address[15]};
  }
}
