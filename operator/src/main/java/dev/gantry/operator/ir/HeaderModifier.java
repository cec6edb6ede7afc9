package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Header edits, applied remove, then set, then add.
 *
 * @param remove lower-case names
 */
public record HeaderModifier(List<Header> set, List<Header> add, List<String> remove) {

  /** A lower-case header name and a value. */
  public record Header(String name, String value) {
    public Header {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }
  }

  public HeaderModifier {
    set = List.copyOf(requireNonNull(set, "set"));
    add = List.copyOf(requireNonNull(add, "add"));
    remove = List.copyOf(requireNonNull(remove, "remove"));
  }
}
