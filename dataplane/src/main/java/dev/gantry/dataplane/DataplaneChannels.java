package dev.gantry.dataplane;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.snapshot.TokenFileCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Builds the gRPC channel a dataplane uses to reach the operator. */
public final class DataplaneChannels {

  /** Interval of HTTP/2 keepalive pings; the operator's server must permit pings this often. */
  public static final long KEEPALIVE_SECONDS = 30;

  /** How long a keepalive ping may go unanswered before the connection is considered dead. */
  public static final long KEEPALIVE_TIMEOUT_SECONDS = 10;

  private DataplaneChannels() {}

  /**
   * Returns a plaintext channel to {@code hostPort} ({@code operator.gantry-system.svc:8443},
   * {@code 127.0.0.1:8443}, {@code [::1]:8443}) with HTTP/2 keepalive, so that a dead operator
   * connection is noticed within about 40 s even when no snapshot flows. The caller owns (and shuts
   * down) the channel.
   */
  public static ManagedChannel forTarget(String hostPort) {
    return forTarget(hostPort, Optional.empty());
  }

  /**
   * As {@link #forTarget(String)}, presenting the ServiceAccount token in {@code tokenFile} (read
   * again for every stream) when there is one.
   */
  public static ManagedChannel forTarget(String hostPort, Optional<Path> tokenFile) {
    requireNonNull(hostPort, "hostPort");
    if (hostPort.isBlank() || hostPort.lastIndexOf(':') < 0) {
      throw new IllegalArgumentException("hostPort: \"" + hostPort + "\" (expected: HOST:PORT)");
    }
    NettyChannelBuilder builder =
        NettyChannelBuilder.forTarget(hostPort)
            .usePlaintext()
            .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
            .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    tokenFile.ifPresent(file -> builder.intercept(new TokenFileCredentials(file)));
    return builder.build();
  }
}
