package dev.gantry.cli;

import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gantry} command. */
@Command(
    name = "gantry",
    mixinStandardHelpOptions = true,
    versionProvider = Gantry.Version.class,
    description =
        "A Kubernetes ingress controller: an operator compiling routes into snapshots, streamed to"
            + " Netty dataplanes.",
    subcommands = {StandaloneCommand.class, OperatorCommand.class, DataplaneCommand.class})
public final class Gantry {

  public static void main(String[] args) {
    int code =
        new CommandLine(new Gantry())
            .setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                  if (e instanceof IllegalArgumentException || e instanceof IOException) {
                    // Bad configuration (a flag value, a config folder): say what, not where.
                    commandLine.getErr().println("gantry: " + e.getMessage());
                    return 2;
                  }
                  throw e;
                })
            .execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Reports the version from the jar's manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"gantry " + build()};
    }
  }

  static String build() {
    String v = Gantry.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
