package dev.gantry.operator.compile;

import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address or CIDR range, as users write them in allow and deny lists. */
public final class AddressRange {
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private AddressRange() {}

  /**
   * Returns {@code item} as {@code address/bits} (a bare address is a single host), or empty if it
   * is not an address or range.
   */
  public static Optional<String> normalize(String item) {
    int slash = item.indexOf('/');
    String address = slash < 0 ? item : item.substring(0, slash);
    boolean v4 = IPV4.matcher(address).matches();
    boolean v6 = !v4 && address.contains(":") && IPV6.matcher(address).matches() && isIpv6(address);
    if (!v4 && !v6) {
      return Optional.empty();
    }
    int max = v4 ? 32 : 128;
    int bits = max;
    if (slash >= 0) {
      String b = item.substring(slash + 1);
      if (!b.matches("[0-9]{1,3}") || Integer.parseInt(b) > max) {
        return Optional.empty();
      }
      bits = Integer.parseInt(b);
    }
    return Optional.of(address + "/" + bits);
  }

  private static boolean isIpv6(String literal) {
    // Only hex digits, colons and dots get here, so the JDK parses a literal and never resolves.
    try {
      return java.net.InetAddress.getByName("[" + literal + "]") instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
