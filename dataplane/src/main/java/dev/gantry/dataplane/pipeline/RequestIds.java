package dev.gantry.dataplane.pipeline;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates X-Request-Id values: 128 random bits as 32 lower-case hex digits. Uses {@link
 * ThreadLocalRandom} (unique enough for correlation, never contended), not {@code SecureRandom}:
 * these ids are labels, not secrets. Safe from any thread.
 */
final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /** Returns a new request id. */
  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[32];
    write(random.nextLong(), id, 0);
    write(random.nextLong(), id, 16);
    return new String(id);
  }

  private static void write(long bits, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = HEX[(int) (bits & 0xF)];
      bits >>>= 4;
    }
  }
}
