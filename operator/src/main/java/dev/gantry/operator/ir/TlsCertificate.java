package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A validated certificate and its key, as the Secret holds them: {@code certificateChain} PEM, leaf
 * first; {@code privateKey} PEM. Named {@code "<namespace>/<secret>"}. The arrays are copied in and
 * out, so the value is immutable; {@link #toString()} never shows the key.
 */
public record TlsCertificate(String name, byte[] certificateChain, byte[] privateKey) {
  public TlsCertificate {
    requireNonNull(name, "name");
    certificateChain = requireNonNull(certificateChain, "certificateChain").clone();
    privateKey = requireNonNull(privateKey, "privateKey").clone();
  }

  @Override
  public byte[] certificateChain() {
    return certificateChain.clone();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsCertificate other
        && name.equals(other.name)
        && Arrays.equals(certificateChain, other.certificateChain)
        && Arrays.equals(privateKey, other.privateKey);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(certificateChain))
        + Arrays.hashCode(privateKey);
  }

  @Override
  public String toString() {
    return "TlsCertificate[" + name + ", " + certificateChain.length + " chain bytes]";
  }
}
