package dev.gantry.dataplane.overload;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures a real JVM: a child process with a 64 MiB heap holds 40 MiB live, which presses, and
 * lets it go, which releases. In a child so that the test's own heap, whatever its size, plays no
 * part.
 */
class JvmMemoryPressureTest {

  @Test
  void pressesWhileMostOfTheHeapIsLiveAndReleasesWhenItIsFreed(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseG1GC",
                "-cp",
                System.getProperty("java.class.path"),
                Hog.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished;
    try {
      finished = child.waitFor(60, SECONDS);
    } finally {
      child.destroyForcibly();
    }
    String output = Files.readString(log);

    assertThat(finished).as(output).isTrue();
    assertThat(output).contains("live-held: high=true", "live-freed: high=false");
    assertThat(child.exitValue()).as(output).isZero();
  }

  /** The child: holds and frees memory, printing what the pressure says after each collection. */
  static final class Hog {
    public static void main(String[] args) throws IOException {
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
      try (JvmMemoryPressure pressure =
          new JvmMemoryPressure(60, scheduler, new SimpleMeterRegistry())) {
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 40 * 8; i++) {
          held.add(new byte[128 << 10]); // small enough not to be humongous in 1 MiB regions
        }
        System.gc();
        await().atMost(20, SECONDS).until(pressure::high);
        System.out.println("live-held: high=" + pressure.high() + " (" + held.size() / 8 + " MiB)");
        held.clear();
        System.gc();
        await().atMost(20, SECONDS).until(() -> !pressure.high());
        System.out.println("live-freed: high=" + pressure.high());
      } finally {
        scheduler.shutdownNow();
      }
      System.out.flush();
    }
  }
}
