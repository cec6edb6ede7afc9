package dev.gantry.dataplane.observe;

import static java.util.Objects.requireNonNull;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one access-log line per relayed (TLS passthrough) connection to the {@code gantry.access}
 * logger, with the keys of the HTTP lines where they mean the same: {@code time} (when the
 * connection was accepted), {@code client} (its address), {@code protocol} ({@code "tcp"}), {@code
 * sni}, {@code route} (the virtual host), {@code backend} (the cluster), {@code upstream}, {@code
 * request_bytes} (client to backend), {@code response_bytes} (backend to client), {@code
 * duration_ms}, and {@code end}: how the relay ended. Thread-safe.
 */
public final class RelayLog {

  private static final Logger accessLog = LoggerFactory.getLogger("gantry.access");

  private final boolean enabled;

  public RelayLog(AccessLogConfig config) {
    this.enabled = requireNonNull(config, "config").enabled();
  }

  /** Writes the line of one relay; {@code cluster} and {@code upstream} may be null. */
  public void log(
      long startMillis,
      String client,
      String sni,
      String host,
      String cluster,
      InetSocketAddress upstream,
      long requestBytes,
      long responseBytes,
      long durationMillis,
      String end) {
    if (!enabled || !accessLog.isInfoEnabled()) {
      return;
    }
    StringBuilder out = new StringBuilder(256);
    out.append("{\"time\":");
    AccessLogFormat.time(out, startMillis);
    out.append(",\"client\":");
    AccessLogFormat.string(out, client);
    out.append(",\"protocol\":\"tcp\",\"sni\":");
    AccessLogFormat.string(out, sni);
    out.append(",\"route\":");
    AccessLogFormat.string(out, host);
    out.append(",\"backend\":");
    AccessLogFormat.string(out, cluster);
    out.append(",\"upstream\":");
    AccessLogFormat.string(out, upstream == null ? null : NetUtil.toSocketAddressString(upstream));
    out.append(",\"request_bytes\":").append(requestBytes);
    out.append(",\"response_bytes\":").append(responseBytes);
    out.append(",\"duration_ms\":").append(durationMillis);
    out.append(",\"end\":");
    AccessLogFormat.string(out, end);
    accessLog.info(out.append('}').toString());
  }
}
