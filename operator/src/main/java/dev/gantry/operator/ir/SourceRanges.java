package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The client addresses a route serves: not in {@code deny}, and in {@code allow} when it is not
 * empty. Ranges are normalised {@code address/bits}, sorted.
 */
public record SourceRanges(List<String> allow, List<String> deny) {
  public SourceRanges {
    allow = requireNonNull(allow, "allow").stream().distinct().sorted().toList();
    deny = requireNonNull(deny, "deny").stream().distinct().sorted().toList();
  }
}
