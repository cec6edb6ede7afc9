package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

/** A ready address and port of a cluster. */
public record Endpoint(String address, int port) implements Comparable<Endpoint> {
  public Endpoint {
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
  }

  @Override
  public int compareTo(Endpoint other) {
    int c = address.compareTo(other.address);
    return c != 0 ? c : Integer.compare(port, other.port);
  }
}
