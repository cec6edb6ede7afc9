package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose forwarding headers ({@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and
 * {@code X-Request-Id}) are believed: a list of CIDR blocks, IPv4 or IPv6. Immutable; safe from any
 * thread.
 */
public final class TrustedProxies {

  /** Trusts no peer (the default). */
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

  private final List<String> cidrs;
  private final List<Block> blocks;

  private TrustedProxies(List<String> cidrs, List<Block> blocks) {
    this.cidrs = List.copyOf(cidrs);
    this.blocks = List.copyOf(blocks);
  }

  /**
   * Returns the proxies in {@code cidrs} ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address
   * is a single host).
   *
   * @throws IllegalArgumentException naming the first entry that is not a CIDR block
   */
  public static TrustedProxies of(List<String> cidrs) {
    requireNonNull(cidrs, "cidrs");
    List<Block> blocks = new ArrayList<>(cidrs.size());
    for (String cidr : cidrs) {
      blocks.add(Block.parse(requireNonNull(cidr, "cidr")));
    }
    return new TrustedProxies(cidrs, blocks);
  }

  /** Returns the CIDR blocks as given. */
  public List<String> cidrs() {
    return cidrs;
  }

  /** Returns whether {@code address} lies in one of the blocks; false for null. */
  boolean contains(InetAddress address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = address.getAddress();
    for (Block block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return cidrs.toString();
  }

  private record Block(byte[] network, int prefix) {

    static Block parse(String cidr) {
      int slash = cidr.indexOf('/');
      String host = slash < 0 ? cidr.trim() : cidr.substring(0, slash).trim();
      byte[] network = NetUtil.createByteArrayFromIpAddressString(host);
      if (network == null) {
        throw new IllegalArgumentException(
            "trustedProxies: " + cidr + " (expected: a CIDR block such as 10.0.0.0/8)");
      }
      int bits = network.length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1).trim());
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "trustedProxies: " + cidr + " (expected: a prefix length 0.." + bits + ")");
      }
      return new Block(network, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest);
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
