package dev.gantry.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.dataplane.testing.FakeControlPlane;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starting and stopping a dataplane. */
class DataplaneIT {

  private final FakeControlPlane controlPlane = new FakeControlPlane().start();
  private final ManagedChannel channel = controlPlane.newChannel();

  @AfterEach
  void tearDown() {
    channel.shutdownNow();
    controlPlane.close();
  }

  private DataplaneConfig onLoopback(int httpPort, int adminPort) {
    return DataplaneConfig.defaults("lifecycle")
        .withHttp(DataplaneConfig.Listener.loopback(httpPort))
        .withAdmin(DataplaneConfig.Listener.loopback(adminPort));
  }

  @Test
  void listensOnEphemeralPortsAndReportsThem() throws IOException {
    try (Dataplane dataplane = Dataplane.start(onLoopback(0, 0), channel)) {
      assertThat(dataplane.httpPort()).isPositive();
      assertThat(dataplane.adminPort()).isPositive().isNotEqualTo(dataplane.httpPort());
      assertThat(dataplane.currentVersion()).isZero();
      new Socket(InetAddress.getLoopbackAddress(), dataplane.httpPort()).close();
      new Socket(InetAddress.getLoopbackAddress(), dataplane.adminPort()).close();
    }
  }

  @Test
  void stopsListeningOnClose() {
    Dataplane dataplane = Dataplane.start(onLoopback(0, 0), channel);
    int httpPort = dataplane.httpPort();
    int adminPort = dataplane.adminPort();

    dataplane.close();
    dataplane.close(); // idempotent

    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), httpPort).close())
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), adminPort).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void refusesToStartOnAPortInUse() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> Dataplane.start(onLoopback(taken.getLocalPort(), 0), channel))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
