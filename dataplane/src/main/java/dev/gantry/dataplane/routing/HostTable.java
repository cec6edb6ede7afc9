package dev.gantry.dataplane.routing;

import java.util.Locale;

/**
 * A read-only hash table from lower-case host names to virtual hosts, looked up by a region of a
 * string, ignoring ASCII case: finding {@code Example.COM} in {@code "Example.COM:8080"} allocates
 * nothing. Open addressing with linear probing, at most half full. Built once; safe to read from
 * any thread.
 */
final class HostTable {
  private final String[] keys;
  private final VirtualHost[] values;
  private final int mask;

  /**
   * @param entries lower-case names and their hosts
   */
  HostTable(java.util.Map<String, VirtualHost> entries) {
    int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1;
    keys = new String[capacity];
    values = new VirtualHost[capacity];
    mask = capacity - 1;
    entries.forEach(
        (key, value) -> {
          int i = hash(key, 0, key.length()) & mask;
          while (keys[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = key.toLowerCase(Locale.ROOT);
          values[i] = value;
        });
  }

  /** Returns the host stored under {@code s[from, to)} compared without ASCII case, or null. */
  VirtualHost get(String s, int from, int to) {
    int len = to - from;
    for (int i = hash(s, from, to) & mask; keys[i] != null; i = (i + 1) & mask) {
      String key = keys[i];
      if (key.length() == len && key.regionMatches(true, 0, s, from, len)) {
        return values[i];
      }
    }
    return null;
  }

  /** A hash of the region with ASCII letters folded to lower case, mixed so low bits vary. */
  private static int hash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      h = 31 * h + c;
    }
    return h ^ (h >>> 16);
  }
}
