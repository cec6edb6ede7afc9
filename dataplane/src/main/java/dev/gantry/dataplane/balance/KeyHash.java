package dev.gantry.dataplane.balance;

/**
 * 64-bit hashes for consistent hashing: FNV-1a over the UTF-16 code units, then MurmurHash3's
 * finaliser so that keys differing in one character land far apart on the ring. Stable across runs
 * and JVMs (never {@code String.hashCode}), so every dataplane maps a key to the same endpoint.
 */
public final class KeyHash {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private KeyHash() {}

  /** Returns the hash of {@code key}; allocation-free. */
  public static long of(CharSequence key) {
    return of(key, FNV_OFFSET);
  }

  /** Returns a hash of {@code key} independent of {@link #of(CharSequence)}, from another seed. */
  static long of(CharSequence key, long seed) {
    long h = seed;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      h = (h ^ (c & 0xff)) * FNV_PRIME;
      h = (h ^ (c >>> 8)) * FNV_PRIME;
    }
    return mix(h);
  }

  /** MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
