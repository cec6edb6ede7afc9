package dev.gantry.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a started service running until the JVM is asked to stop, then closes it. */
final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private Lifecycle() {}

  static int runUntilStopped(AutoCloseable service) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  try {
                    service.close();
                  } catch (Exception e) {
                    log.warn("error while stopping", e);
                  }
                  stopped.countDown();
                },
                "gantry-shutdown"));
    stopped.await();
    return 0;
  }
}
