package dev.gantry.dataplane.pipeline;

/**
 * Tells the decoder which request of a connection the proxy is waiting for, so that the headers
 * clock of a pipelined request starts only when its turn comes, not while the previous response is
 * still streaming. Requests are numbered from 1 in arrival order; the proxy waits for the first one
 * from the start. One instance per channel; confined to the channel's event loop.
 */
final class RequestTurn {

  private long awaited = 1;
  private Runnable onAdvance = () -> {};

  /** Runs {@code listener} whenever the proxy starts waiting for the next request. */
  void onAdvance(Runnable listener) {
    this.onAdvance = listener;
  }

  /** Records that the current request is finished: the proxy now waits for the next one. */
  void advance() {
    awaited++;
    onAdvance.run();
  }

  /** Returns whether the proxy is waiting for request {@code number} (or a later one). */
  boolean isAwaited(long number) {
    return number <= awaited;
  }
}
