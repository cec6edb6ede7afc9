package dev.gantry.dataplane.upstream;

import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import java.net.InetAddress;
import java.util.Locale;

/**
 * Answers {@code localhost} and every name under {@code .localhost} with the loopback address, as
 * RFC 6761 (section 6.3) asks of name resolution APIs, and everything else from the hosts file.
 * This lets an FQDN EndpointSlice name a backend on the dataplane's own host: the API server
 * refuses loopback IPs and single-label names in EndpointSlices, but accepts {@code web.localhost}.
 */
public final class LoopbackNamesResolver implements HostsFileEntriesResolver {
  private final HostsFileEntriesResolver hostsFile = HostsFileEntriesResolver.DEFAULT;

  @Override
  public InetAddress address(String host, ResolvedAddressTypes types) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      boolean v6 =
          types == ResolvedAddressTypes.IPV6_ONLY || types == ResolvedAddressTypes.IPV6_PREFERRED;
      return v6 ? loopback("::1") : loopback("127.0.0.1");
    }
    return hostsFile.address(host, types);
  }

  private static InetAddress loopback(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup happens
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(literal, e);
    }
  }
}
