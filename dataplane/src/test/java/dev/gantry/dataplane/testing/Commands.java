package dev.gantry.dataplane.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs command-line clients (curl, openssl) from tests, which skip themselves where one is absent.
 */
public final class Commands {

  private Commands() {}

  /** What a command did: its exit code, and its output and errors together. */
  public record Run(int exit, String output) {}

  /** Returns whether {@code command} (e.g. {@code curl --version}) runs and succeeds here. */
  public static boolean installed(String... command) {
    try {
      return run(command).exit() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Runs {@code command} with no input; returns its exit code and its output and errors. */
  public static Run run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
