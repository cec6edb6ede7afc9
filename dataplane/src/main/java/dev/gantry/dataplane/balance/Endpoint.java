package dev.gantry.dataplane.balance;

import static java.util.Objects.requireNonNull;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;

/**
 * Names one upstream address and its relative weight. Immutable.
 *
 * @param address a literal IP address (resolved), or a DNS name left unresolved: it is resolved,
 *     without blocking, each time a connection is opened, so the name's TTL is honoured
 * @param weight relative weight, at least 1
 */
public record Endpoint(InetSocketAddress address, int weight) {

  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  public Endpoint {
    requireNonNull(address, "address");
    if (address.isUnresolved() && !isValidHost(address.getHostString())) {
      throw new IllegalArgumentException(
          "address: "
              + address.getHostString()
              + " (expected: a literal IP address or a DNS name)");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
    }
  }

  /**
   * Returns whether {@code host} can be an endpoint address: a literal IPv4 or IPv6 address, or a
   * DNS name (RFC 1123 labels of letters, digits and inner hyphens; at most 253 characters; a
   * trailing dot allowed).
   */
  public static boolean isValidHost(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
      return true;
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty()
          || label.length() > MAX_LABEL_LENGTH
          || label.startsWith("-")
          || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean allowed =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!allowed) {
          return false;
        }
      }
    }
    return true;
  }
}
