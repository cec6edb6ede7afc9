package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.pipeline.Http2Config;
import dev.gantry.dataplane.pipeline.ListenerLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The listener flags reach the dataplane's configuration, with the documented defaults. */
class ListenerOptionsTest {

  private static DataplaneConfig parse(String... args) {
    StandaloneCommand command = new StandaloneCommand();
    new CommandLine(command).parseArgs(args);
    return command.listeners.dataplaneConfig("test");
  }

  @Test
  void withoutFlagsTheLimitsAreTheDocumentedDefaults() {
    DataplaneConfig config = parse("--config", "dir");

    assertThat(config.limits()).isEqualTo(ListenerLimits.DEFAULT);
    assertThat(config.idleTimeout()).isEqualTo(DataplaneConfig.DEFAULT_IDLE_TIMEOUT);
    assertThat(config.http2()).isEqualTo(Http2Config.defaults());
  }

  @Test
  void eachLimitHasItsFlag() {
    DataplaneConfig config =
        parse(
            "--config=dir",
            "--max-request-line-bytes=4096",
            "--max-header-bytes=16384",
            "--max-header-count=50",
            "--headers-timeout=5s",
            "--idle-timeout=2m",
            "--max-requests-per-connection=1000000",
            "--max-connections=20000",
            "--http2-max-concurrent-streams=250",
            "--http2-stream-window-bytes=131072",
            "--http2-connection-window-bytes=4194304");

    assertThat(config.limits())
        .isEqualTo(new ListenerLimits(4096, 16384, 50, Duration.ofSeconds(5), 1_000_000, 20_000));
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.http2().maxConcurrentStreams()).isEqualTo(250);
    assertThat(config.http2().initialStreamWindow()).isEqualTo(131_072);
    assertThat(config.http2().connectionWindow()).isEqualTo(4_194_304);
    assertThat(config.http2().maxRstFramesPerWindow())
        .isEqualTo(Http2Config.defaults().maxRstFramesPerWindow());
  }

  @Test
  void standaloneHasNoTlsListenerUnlessAPortIsGiven() {
    assertThat(parse("--config=dir").https()).isEmpty();
    assertThat(parse("--config=dir", "--https-port=0").https()).isEmpty();
    assertThat(parse("--config=dir", "--https-port=9443", "--bind-address=127.0.0.1").https())
        .contains(DataplaneConfig.Listener.loopback(9443));
  }

  @Test
  void theDataplaneListensForTlsOn8443UnlessTurnedOff() {
    DataplaneCommand command = new DataplaneCommand();
    new CommandLine(command).parseArgs("--operator=op:8443");
    DataplaneCommand off = new DataplaneCommand();
    new CommandLine(off).parseArgs("--operator=op:8443", "--https-port=0");

    assertThat(command.listeners.dataplaneConfig("n", DataplaneConfig.DEFAULT_HTTPS_PORT).https())
        .contains(DataplaneConfig.Listener.any(8443));
    assertThat(off.listeners.dataplaneConfig("n", DataplaneConfig.DEFAULT_HTTPS_PORT).https())
        .isEmpty();
  }

  @Test
  void redirectsToHttpsNameThePortClientsReachTheTlsListenerOn() {
    DataplaneCommand dataplane = new DataplaneCommand();
    new CommandLine(dataplane).parseArgs("--operator=op:8443");

    assertThat(
            dataplane
                .listeners
                .dataplaneConfig("n", DataplaneConfig.DEFAULT_HTTPS_PORT)
                .effectiveHttpsRedirectPort())
        .as("gantry dataplane runs behind the Service's port 443")
        .isEqualTo(443);
    assertThat(parse("--config=dir", "--https-port=9443").effectiveHttpsRedirectPort())
        .as("standalone: its own TLS port")
        .isEqualTo(9443);
    assertThat(
            parse("--config=dir", "--https-port=9443", "--https-redirect-port=443")
                .effectiveHttpsRedirectPort())
        .isEqualTo(443);
    assertThat(parse("--config=dir").effectiveHttpsRedirectPort())
        .as("no TLS listener: nothing to redirect to")
        .isZero();
  }

  @Test
  void theDefaultCertificateIsANamespacedSecret() {
    assertThat(parse("--config=dir").defaultCertificate()).isEmpty();
    assertThat(parse("--config=dir", "--default-certificate=gantry/wildcard").defaultCertificate())
        .contains("gantry/wildcard");
    assertThatThrownBy(() -> parse("--config=dir", "--default-certificate=wildcard"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultCertificate: \"wildcard\" (expected: NAMESPACE/SECRET)");
  }

  @Test
  void aLimitOutOfRangeIsRefusedByName() {
    assertThatThrownBy(() -> parse("--config=dir", "--max-header-count=0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxHeaderCount: 0");
  }
}
