package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of CIDR blocks, IPv4 or IPv6 ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is
 * a single host), matched against an address's bytes without allocating. Immutable; safe from any
 * thread.
 */
public final class AddressBlocks {
  public static final AddressBlocks NONE = new AddressBlocks(List.of(), List.of());

  private final List<String> cidrs;
  private final Block[] blocks;

  private AddressBlocks(List<String> cidrs, List<Block> blocks) {
    this.cidrs = List.copyOf(cidrs);
    this.blocks = blocks.toArray(Block[]::new);
  }

  /**
   * Returns the blocks of {@code cidrs}.
   *
   * @throws IllegalArgumentException naming the first entry that is not a CIDR block
   */
  public static AddressBlocks of(List<String> cidrs) {
    requireNonNull(cidrs, "cidrs");
    List<Block> blocks = new ArrayList<>(cidrs.size());
    for (String cidr : cidrs) {
      blocks.add(Block.parse(requireNonNull(cidr, "cidr")));
    }
    return new AddressBlocks(cidrs, blocks);
  }

  /** Returns the blocks as given. */
  public List<String> cidrs() {
    return cidrs;
  }

  public boolean isEmpty() {
    return blocks.length == 0;
  }

  /** Returns whether {@code address} (4 or 16 bytes) lies in one of the blocks. */
  public boolean contains(byte[] address) {
    for (Block block : blocks) {
      if (block.contains(address)) {
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
            "address range: " + cidr + " (expected: a CIDR block such as 10.0.0.0/8)");
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
            "address range: " + cidr + " (expected: a prefix length 0.." + bits + ")");
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
