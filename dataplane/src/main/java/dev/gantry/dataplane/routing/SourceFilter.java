package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

/**
 * Which client addresses a route serves: those not denied, and, when an allow list is given, only
 * those in it. Immutable; safe from any thread.
 */
public record SourceFilter(AddressBlocks allow, AddressBlocks deny) {
  /** Every client. */
  public static final SourceFilter ANY = new SourceFilter(AddressBlocks.NONE, AddressBlocks.NONE);

  public SourceFilter {
    requireNonNull(allow, "allow");
    requireNonNull(deny, "deny");
  }

  /** Returns whether the filter lets every address through, so that none need be looked at. */
  public boolean isAny() {
    return allow.isEmpty() && deny.isEmpty();
  }

  /** Returns whether a client at {@code address} (4 or 16 bytes) is served. */
  public boolean allows(byte[] address) {
    if (deny.contains(address)) {
      return false;
    }
    return allow.isEmpty() || allow.contains(address);
  }
}
