package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.routing.AddressBlocks;
import java.net.InetAddress;
import java.util.List;

/**
 * The peers whose forwarding headers ({@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and
 * {@code X-Request-Id}) are believed: a list of CIDR blocks, IPv4 or IPv6. Immutable; safe from any
 * thread.
 */
public final class TrustedProxies {

  /** Trusts no peer (the default). */
  public static final TrustedProxies NONE = new TrustedProxies(AddressBlocks.NONE);

  private final AddressBlocks blocks;

  private TrustedProxies(AddressBlocks blocks) {
    this.blocks = blocks;
  }

  /**
   * Returns the proxies in {@code cidrs} ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address
   * is a single host).
   *
   * @throws IllegalArgumentException naming the first entry that is not a CIDR block
   */
  public static TrustedProxies of(List<String> cidrs) {
    try {
      return new TrustedProxies(AddressBlocks.of(cidrs));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trustedProxies: " + e.getMessage(), e);
    }
  }

  /** Returns the CIDR blocks as given. */
  public List<String> cidrs() {
    return blocks.cidrs();
  }

  /** Returns whether {@code address} lies in one of the blocks; false for null. */
  boolean contains(InetAddress address) {
    return address != null && blocks.contains(address.getAddress());
  }

  /** Returns whether the address {@code bytes} lie in one of the blocks. */
  boolean containsAddress(byte[] bytes) {
    return blocks.contains(bytes);
  }

  @Override
  public String toString() {
    return blocks.toString();
  }
}
