package dev.gantry.operator.watch;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces rebuild requests: a rebuild runs {@code holdOff} after the last request, but never
 * later than {@code maxDelay} after the first unserved one, so a steady trickle of changes
 * (EndpointSlices churn during a rollout) cannot starve it. Rebuilds run one at a time on a single
 * thread.
 */
public final class RebuildScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RebuildScheduler.class);

  private final long holdOffNanos;
  private final long maxDelayNanos;
  private final Runnable rebuild;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gantry-rebuild");
            t.setDaemon(true);
            return t;
          });
  private long firstUnserved = -1;
  private ScheduledFuture<?> pending;
  private ScheduledFuture<?> timer;

  public RebuildScheduler(Duration holdOff, Duration maxDelay, Runnable rebuild) {
    this.holdOffNanos = holdOff.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.rebuild = rebuild;
  }

  /** Asks for a rebuild. Cheap and non-blocking: safe from informer threads. */
  public synchronized void request() {
    long now = System.nanoTime();
    if (firstUnserved < 0) {
      firstUnserved = now;
    }
    long runAt = Math.min(now + holdOffNanos, firstUnserved + maxDelayNanos);
    if (pending != null) {
      pending.cancel(false);
    }
    pending = executor.schedule(this::run, Math.max(0, runAt - now), TimeUnit.NANOSECONDS);
  }

  /**
   * Asks for a rebuild after {@code delay}, when something that depends on time changes (a
   * certificate expires). Replaces the previous such request; changes still rebuild at once.
   */
  public synchronized void requestAfter(Duration delay) {
    if (timer != null) {
      timer.cancel(false);
    }
    try {
      timer =
          executor.schedule(this::request, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed while the last rebuild ran: nothing is left to rebuild for
    }
  }

  private void run() {
    synchronized (this) {
      firstUnserved = -1;
      pending = null;
    }
    try {
      rebuild.run();
    } catch (RuntimeException e) {
      // A bug in compile must not stop future rebuilds; the last good snapshot keeps serving.
      log.error("rebuild failed; keeping the previous snapshot", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
