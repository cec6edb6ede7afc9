package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/** Names one Kubernetes object that routes were compiled from, at one generation. */
public record ObjectRef(String kind, String namespace, String name)
    implements Comparable<ObjectRef> {
  private static final Comparator<ObjectRef> ORDER =
      Comparator.comparing(ObjectRef::kind)
          .thenComparing(ObjectRef::namespace)
          .thenComparing(ObjectRef::name);

  public ObjectRef {
    requireNonNull(kind, "kind");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  @Override
  public int compareTo(ObjectRef other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return kind + "/" + namespace + "/" + name;
  }
}
