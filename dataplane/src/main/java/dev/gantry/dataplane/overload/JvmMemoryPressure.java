package dev.gantry.dataplane.overload;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures this JVM's memory: the heap that is still live right after each garbage collection (what
 * the proxy really holds; the heap before a collection is mostly garbage) and the direct memory
 * Netty's allocator holds for buffers. Samples on a scheduler, so {@link #high()} only reads a
 * volatile field. Exposes {@code gantry_dataplane_memory_pressure} (1 while requests are refused),
 * {@code gantry_dataplane_memory_heap_live_ratio} and {@code
 * gantry_dataplane_memory_direct_used_ratio}.
 */
public final class JvmMemoryPressure implements MemoryPressure, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JvmMemoryPressure.class);
  private static final long SAMPLE_MILLIS = 100;

  private final PressureGauge gauge;
  private final List<Runnable> unsubscribe = new ArrayList<>();
  private final ScheduledFuture<?> sampling;
  private volatile double heapLive = -1;
  private volatile double directUsed = -1;
  private volatile boolean high;

  /**
   * Starts measuring; refuses requests once heap or direct memory reaches {@code highPercent} of
   * its maximum.
   */
  public JvmMemoryPressure(
      int highPercent, ScheduledExecutorService scheduler, MeterRegistry registry) {
    this.gauge = new PressureGauge(highPercent);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        NotificationListener listener = (n, handback) -> onCollection(n);
        emitter.addNotificationListener(listener, null, null);
        unsubscribe.add(() -> removeListener(emitter, listener));
      }
    }
    Gauge.builder("gantry.dataplane.memory.pressure", this, p -> p.high ? 1 : 0)
        .description("1 while requests are refused for lack of memory")
        .register(registry);
    Gauge.builder("gantry.dataplane.memory.heap.live.ratio", this, p -> p.heapLive)
        .description("Share of the maximum heap live after the last collection")
        .register(registry);
    Gauge.builder("gantry.dataplane.memory.direct.used.ratio", this, p -> p.directUsed)
        .description("Share of the maximum direct memory held by the buffer allocator")
        .register(registry);
    this.sampling =
        scheduler.scheduleAtFixedRate(
            this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean high() {
    return high;
  }

  @Override
  public void close() {
    sampling.cancel(false);
    unsubscribe.forEach(Runnable::run);
  }

  private void onCollection(Notification n) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
      if (after != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
        used += after.getUsed();
      }
    }
    long max = Runtime.getRuntime().maxMemory();
    heapLive = max > 0 && max != Long.MAX_VALUE ? (double) used / max : -1;
  }

  private void sample() {
    directUsed = directShare();
    boolean now = gauge.update(heapLive, directUsed); // only this scheduled task touches the gauge
    if (now != high) {
      high = now;
      if (now) {
        log.warn(
            "memory pressure: refusing new requests with 503 (heap live {}%, direct {}%)",
            percent(heapLive), percent(directUsed));
      } else {
        log.info(
            "memory pressure over: serving again (heap live {}%, direct {}%)",
            percent(heapLive), percent(directUsed));
      }
    }
  }

  private static double directShare() {
    long max = PlatformDependent.maxDirectMemory();
    if (max <= 0 || !(ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p)) {
      return -1;
    }
    return (double) p.metric().usedDirectMemory() / max;
  }

  private static long percent(double share) {
    return share < 0 ? -1 : Math.round(share * 100);
  }

  private static void removeListener(NotificationEmitter emitter, NotificationListener listener) {
    try {
      emitter.removeNotificationListener(listener);
    } catch (ListenerNotFoundException e) {
      // already gone
    }
  }
}
