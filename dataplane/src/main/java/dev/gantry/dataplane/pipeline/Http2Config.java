package dev.gantry.dataplane.pipeline;

import java.time.Duration;

/**
 * Configures HTTP/2 on the cleartext listener (prior knowledge and {@code Upgrade: h2c}).
 *
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS: streams a client may have open at
 *     once; more are refused with RST_STREAM(REFUSED_STREAM) (default 100)
 * @param initialStreamWindow SETTINGS_INITIAL_WINDOW_SIZE: bytes a client may send on one stream
 *     before the proxy has passed them on (default 64 KiB)
 * @param connectionWindow receive window of the whole connection, opened with a WINDOW_UPDATE right
 *     after the server preface (default 1 MiB; at least {@code initialStreamWindow})
 * @param maxRstFramesPerWindow RST_STREAM frames a client may send per {@code rstFramesWindow}
 *     before the connection is closed with ENHANCE_YOUR_CALM (rapid-reset protection; default 200,
 *     Netty's)
 * @param rstFramesWindow the window of {@code maxRstFramesPerWindow} (default 30 s, Netty's)
 * @param maxQueuedControlFrames control frames (PING and SETTINGS acks, RST_STREAM) queued for a
 *     client that does not read before the connection is closed (default 10 000, Netty's)
 * @param gracefulShutdown how long streams may run on after GOAWAY (idle timeout, dataplane stop)
 *     before the connection is closed under them (default 5 s)
 */
public record Http2Config(
    int maxConcurrentStreams,
    int initialStreamWindow,
    int connectionWindow,
    int maxRstFramesPerWindow,
    Duration rstFramesWindow,
    int maxQueuedControlFrames,
    Duration gracefulShutdown) {

  /** Default {@link #maxConcurrentStreams()}. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;

  /** Default {@link #initialStreamWindow()}. */
  public static final int DEFAULT_INITIAL_STREAM_WINDOW = 64 * 1024;

  /** Default {@link #connectionWindow()}. */
  public static final int DEFAULT_CONNECTION_WINDOW = 1024 * 1024;

  public Http2Config {
    if (maxConcurrentStreams < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentStreams: " + maxConcurrentStreams + " (expected: >= 1)");
    }
    if (initialStreamWindow < 1) {
      throw new IllegalArgumentException(
          "initialStreamWindow: " + initialStreamWindow + " (expected: >= 1)");
    }
    if (connectionWindow < Math.max(initialStreamWindow, 65_535)) {
      throw new IllegalArgumentException(
          "connectionWindow: "
              + connectionWindow
              + " (expected: >= initialStreamWindow and >= 65535)");
    }
    if (maxRstFramesPerWindow < 1) {
      throw new IllegalArgumentException(
          "maxRstFramesPerWindow: " + maxRstFramesPerWindow + " (expected: >= 1)");
    }
    checkPositive(rstFramesWindow, "rstFramesWindow");
    if (maxQueuedControlFrames < 1) {
      throw new IllegalArgumentException(
          "maxQueuedControlFrames: " + maxQueuedControlFrames + " (expected: >= 1)");
    }
    checkPositive(gracefulShutdown, "gracefulShutdown");
  }

  /** Returns the defaults. */
  public static Http2Config defaults() {
    return new Http2Config(
        DEFAULT_MAX_CONCURRENT_STREAMS,
        DEFAULT_INITIAL_STREAM_WINDOW,
        DEFAULT_CONNECTION_WINDOW,
        200,
        Duration.ofSeconds(30),
        10_000,
        Duration.ofSeconds(5));
  }

  private static void checkPositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
