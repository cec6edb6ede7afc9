package dev.gantry.dataplane.balance;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses among items in proportion to their weights, in a smooth interleaved order (nginx's smooth
 * weighted round robin: weights 5,1,1 give a a b a c a a rather than a a a a a b c). Items of
 * weight 0 are never chosen.
 *
 * <p>The whole rotation is computed once, in the constructor; {@link #pick()} is one atomic
 * increment and an array read, safe from any thread without locks.
 */
public final class WeightedChoice<T> {

  /**
   * Longest rotation kept; larger weight sums are scaled down to it (each item keeps at least one
   * slot).
   */
  static final int MAX_ROTATION = 4096;

  private final Object[] rotation;
  private final AtomicInteger cursor = new AtomicInteger();

  private WeightedChoice(Object[] rotation) {
    this.rotation = rotation;
  }

  /**
   * Returns a choice over {@code items}, the i-th weighted by the i-th of {@code weights}.
   *
   * @throws IllegalArgumentException when the lists differ in size, a weight is negative or every
   *     weight is zero
   */
  public static <T> WeightedChoice<T> of(List<T> items, List<Integer> itemWeights) {
    requireNonNull(items, "items");
    requireNonNull(itemWeights, "itemWeights");
    if (items.size() != itemWeights.size()) {
      throw new IllegalArgumentException(
          "itemWeights: "
              + itemWeights.size()
              + " weights for "
              + items.size()
              + " items (expected: one weight per item)");
    }
    List<T> chosen = new ArrayList<>(items.size());
    List<Integer> weights = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      T item = requireNonNull(items.get(i), "item");
      int w = itemWeights.get(i);
      if (w < 0) {
        throw new IllegalArgumentException("weight: " + w + " (expected: >= 0)");
      }
      if (w > 0) {
        chosen.add(item);
        weights.add(w);
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("weights: all zero (expected: at least one above 0)");
    }
    return new WeightedChoice<>(rotation(chosen, reduce(weights)));
  }

  /** Returns the next item of the rotation. */
  @SuppressWarnings("unchecked")
  public T pick() {
    return (T) rotation[Math.floorMod(cursor.getAndIncrement(), rotation.length)];
  }

  /**
   * Returns how many slots of one full rotation go to items equal to {@code item}; for tests and
   * logs.
   */
  int slotsOf(T item) {
    int n = 0;
    for (Object o : rotation) {
      if (o.equals(item)) {
        n++;
      }
    }
    return n;
  }

  /** Divides weights by their common divisor and scales them down to fit {@link #MAX_ROTATION}. */
  private static int[] reduce(List<Integer> weights) {
    long gcd = 0;
    long total = 0;
    for (int w : weights) {
      gcd = gcd(gcd, w);
      total += w;
    }
    int[] reduced = new int[weights.size()];
    long reducedTotal = total / gcd;
    for (int i = 0; i < reduced.length; i++) {
      long w = weights.get(i) / gcd;
      if (reducedTotal > MAX_ROTATION) {
        w = Math.max(1, Math.round((double) w * MAX_ROTATION / reducedTotal));
      }
      reduced[i] = (int) w;
    }
    return reduced;
  }

  private static Object[] rotation(List<?> items, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    Object[] rotation = new Object[total];
    long[] current = new long[weights.length];
    for (int slot = 0; slot < total; slot++) {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      rotation[slot] = items.get(best);
    }
    return rotation;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
