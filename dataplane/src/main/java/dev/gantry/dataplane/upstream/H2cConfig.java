package dev.gantry.dataplane.upstream;

import java.time.Duration;

/**
 * Configures HTTP/2 connections to upstreams ({@link UpstreamProtocol#H2C}). Netty turns its
 * protections on only for servers by default; here they guard the proxy against a misbehaving
 * upstream too.
 *
 * @param initialStreamWindow SETTINGS_INITIAL_WINDOW_SIZE: response bytes an upstream may send on
 *     one stream before the proxy has passed them to the client (default 64 KiB)
 * @param connectionWindow receive window of the whole connection (default 1 MiB; at least {@code
 *     initialStreamWindow})
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE: largest response header (or trailer)
 *     block accepted (default 64 KiB)
 * @param maxRstFramesPerWindow RST_STREAM frames an upstream may send per {@code rstFramesWindow}
 *     before the connection is closed (default 200)
 * @param rstFramesWindow the window of {@code maxRstFramesPerWindow} (default 30 s)
 * @param maxQueuedControlFrames control frames queued for an upstream that does not read before the
 *     connection is closed (default 10 000)
 * @param maxConsecutiveEmptyDataFrames empty DATA frames without END_STREAM in a row before the
 *     connection is closed (default 2, Netty's)
 */
public record H2cConfig(
    int initialStreamWindow,
    int connectionWindow,
    long maxHeaderListSize,
    int maxRstFramesPerWindow,
    Duration rstFramesWindow,
    int maxQueuedControlFrames,
    int maxConsecutiveEmptyDataFrames) {

  public H2cConfig {
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
    if (maxHeaderListSize < 1) {
      throw new IllegalArgumentException(
          "maxHeaderListSize: " + maxHeaderListSize + " (expected: >= 1)");
    }
    if (maxRstFramesPerWindow < 1) {
      throw new IllegalArgumentException(
          "maxRstFramesPerWindow: " + maxRstFramesPerWindow + " (expected: >= 1)");
    }
    if (rstFramesWindow == null || rstFramesWindow.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "rstFramesWindow: " + rstFramesWindow + " (expected: >= 1 s)");
    }
    if (maxQueuedControlFrames < 1) {
      throw new IllegalArgumentException(
          "maxQueuedControlFrames: " + maxQueuedControlFrames + " (expected: >= 1)");
    }
    if (maxConsecutiveEmptyDataFrames < 1) {
      throw new IllegalArgumentException(
          "maxConsecutiveEmptyDataFrames: " + maxConsecutiveEmptyDataFrames + " (expected: >= 1)");
    }
  }

  /** Returns the defaults. */
  public static H2cConfig defaults() {
    return new H2cConfig(64 * 1024, 1024 * 1024, 64 * 1024, 200, Duration.ofSeconds(30), 10_000, 2);
  }
}
