package dev.gantry.dataplane.overload;

/**
 * Decides pressure from memory readings with hysteresis: high once either reading reaches {@code
 * highPercent} of its maximum, and low again only once both are below {@code highPercent - 10}, so
 * that one collection or one freed buffer does not flip the proxy between refusing and serving. Not
 * thread-safe: one sampler updates it.
 */
final class PressureGauge {

  /** How far below the high mark both readings must fall before requests are served again. */
  static final int HYSTERESIS_PERCENT = 10;

  private final double high;
  private final double low;
  private boolean pressed;

  PressureGauge(int highPercent) {
    if (highPercent <= HYSTERESIS_PERCENT || highPercent > 100) {
      throw new IllegalArgumentException(
          "highPercent: " + highPercent + " (expected: " + (HYSTERESIS_PERCENT + 1) + "..100)");
    }
    this.high = highPercent / 100.0;
    this.low = (highPercent - HYSTERESIS_PERCENT) / 100.0;
  }

  /**
   * Updates the state from the share of the heap live after the last collection and the share of
   * direct memory in use (each 0..1; negative when unknown, which never presses); returns it.
   */
  boolean update(double heapShare, double directShare) {
    if (pressed) {
      pressed = heapShare >= low || directShare >= low;
    } else {
      pressed = heapShare >= high || directShare >= high;
    }
    return pressed;
  }

  boolean pressed() {
    return pressed;
  }
}
