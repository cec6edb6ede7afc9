package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Edits to a set of headers, applied remove, then set, then add. Immutable; safe from any thread.
 *
 * @param set headers whose every value is replaced
 * @param add headers appended, keeping existing values
 * @param remove names of headers removed
 */
public record HeaderEdits(List<Header> set, List<Header> add, List<AsciiString> remove) {

  /** Edits nothing. */
  public static final HeaderEdits NONE = new HeaderEdits(List.of(), List.of(), List.of());

  /** A header name and value. */
  public record Header(AsciiString name, String value) {
    public Header {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }
  }

  public HeaderEdits {
    set = List.copyOf(requireNonNull(set, "set"));
    add = List.copyOf(requireNonNull(add, "add"));
    remove = List.copyOf(requireNonNull(remove, "remove"));
  }

  /** Returns whether applying these edits changes nothing. */
  public boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }

  /** Returns these edits plus setting {@code name: value} last, replacing any value before. */
  public HeaderEdits setting(AsciiString name, String value) {
    List<Header> more = new java.util.ArrayList<>(set.size() + 1);
    more.addAll(set);
    more.add(new Header(name, value));
    List<Header> added = add.stream().filter(h -> !h.name().contentEqualsIgnoreCase(name)).toList();
    return new HeaderEdits(more, added, remove);
  }

  /** Returns these edits, then {@code more}'s (each kind after this one's of the same kind). */
  public HeaderEdits then(HeaderEdits more) {
    if (more.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return more;
    }
    return new HeaderEdits(
        java.util.stream.Stream.concat(set.stream(), more.set.stream()).toList(),
        java.util.stream.Stream.concat(add.stream(), more.add.stream()).toList(),
        java.util.stream.Stream.concat(remove.stream(), more.remove.stream()).toList());
  }

  /** Returns these edits plus adding {@code name: value} last. */
  public HeaderEdits adding(AsciiString name, String value) {
    List<Header> more = new java.util.ArrayList<>(add.size() + 1);
    more.addAll(add);
    more.add(new Header(name, value));
    return new HeaderEdits(set, more, remove);
  }

  /** Applies the edits to {@code headers} in place. */
  public void applyTo(HttpHeaders headers) {
    for (int i = 0, n = remove.size(); i < n; i++) {
      headers.remove(remove.get(i));
    }
    for (int i = 0, n = set.size(); i < n; i++) {
      headers.set(set.get(i).name(), set.get(i).value());
    }
    for (int i = 0, n = add.size(); i < n; i++) {
      headers.add(add.get(i).name(), add.get(i).value());
    }
  }
}
