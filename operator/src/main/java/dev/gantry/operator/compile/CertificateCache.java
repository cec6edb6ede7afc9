package dev.gantry.operator.compile;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Remembers what {@link CertificateValidator#parse} made of a chain and key across compiles, so
 * that a rebuild for an EndpointSlice change does not parse and sign with every key again. Keyed by
 * the content's SHA-256, so a rotated Secret is parsed afresh. Entries a compile did not use are
 * dropped at its end ({@link #retainUsed}). Confined to one compile at a time.
 */
final class CertificateCache {
  private final Map<String, CertificateValidator.Result> results = new HashMap<>();
  private final Set<String> used = new HashSet<>();

  CertificateValidator.Result parse(byte[] chain, byte[] key) {
    String digest = digest(chain, key);
    used.add(digest);
    return results.computeIfAbsent(digest, d -> CertificateValidator.parse(chain, key));
  }

  /** Forgets what the compile since the last call did not ask for. */
  void retainUsed() {
    results.keySet().retainAll(used);
    used.clear();
  }

  private static String digest(byte[] chain, byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          Integer.toString(chain.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(chain);
      sha.update(key);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
