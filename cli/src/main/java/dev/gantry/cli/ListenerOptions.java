package dev.gantry.cli;

import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import dev.gantry.dataplane.observe.AccessLogConfig;
import dev.gantry.dataplane.observe.AccessLogField;
import dev.gantry.dataplane.pipeline.Http2Config;
import dev.gantry.dataplane.pipeline.ListenerLimits;
import dev.gantry.dataplane.pipeline.TrustedProxies;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The dataplane's flags, shared by {@code gantry dataplane} and {@code gantry standalone}. */
final class ListenerOptions {
  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "Proxy port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--https-port",
      description =
          "TLS port: each connection's certificate picked by SNI from the snapshot, HTTP/1.1 or h2"
              + " by ALPN (default: 8443 for `gantry dataplane`, off for `gantry standalone`;"
              + " 0: off).")
  Integer httpsPort;

  @Option(
      names = "--https-redirect-port",
      description =
          "The port named in the 308 that sends cleartext requests for a host with TLS to HTTPS:"
              + " where clients reach the TLS port (default: 443 for `gantry dataplane`, which"
              + " runs behind a Service's port 443; the --https-port for `gantry standalone`).")
  Integer httpsRedirectPort;

  @Option(
      names = "--default-certificate",
      paramLabel = "NAMESPACE/SECRET",
      description =
          "The kubernetes.io/tls Secret served on the TLS port when the client's server name"
              + " matches no host with a certificate, or it sends none (default: none; such"
              + " handshakes fail).")
  String defaultCertificate;

  @Option(
      names = "--admin-port",
      defaultValue = "9901",
      description = "/ready, /live, /metrics, /snapshot (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--bind-address",
      defaultValue = "0.0.0.0",
      description = "Address every port binds to (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(
      names = "--worker-threads",
      defaultValue = "0",
      description = "Proxy event-loop threads (default: 0, one per CPU the JVM sees).")
  int workerThreads;

  @Option(
      names = "--access-log",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Write a JSON line per request to stdout (default: on).")
  boolean accessLog;

  @Option(
      names = "--access-log-fields",
      paramLabel = "FIELD,...",
      description =
          "Fields of each access-log line (default: all): time, client, method, host, path,"
              + " protocol, status, route, backend, upstream, request_bytes, response_bytes,"
              + " duration_ms, request_id, user_agent, tls, sni.")
  String accessLogFields;

  @Option(
      names = "--shutdown-delay",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description = "On SIGTERM, fail /ready this long before closing the listener (default: 0s).")
  Duration shutdownDelay;

  @Option(
      names = "--shutdown-timeout",
      defaultValue = "25s",
      converter = DurationConverter.class,
      description = "Then give exchanges in flight this long to finish (default: 25s).")
  Duration shutdownTimeout;

  @Option(
      names = "--trusted-proxies",
      split = ",",
      paramLabel = "CIDR",
      description =
          "Peers whose X-Forwarded-* and X-Request-Id headers are kept, e.g. 10.0.0.0/8"
              + " (default: none; from other peers they are replaced).")
  List<String> trustedProxies = List.of();

  @Option(
      names = "--max-connections",
      defaultValue = "10000",
      description =
          "Concurrent client connections on the proxy ports, HTTP and HTTPS together (default:"
              + " ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-request-line-bytes",
      defaultValue = "8192",
      description = "Longest request line; longer is answered 414 (default: ${DEFAULT-VALUE}).")
  int maxRequestLineBytes;

  @Option(
      names = "--max-header-bytes",
      defaultValue = "32768",
      description =
          "Largest header block, header lines without their CRLFs; larger is answered 431"
              + " (default: ${DEFAULT-VALUE}).")
  int maxHeaderBytes;

  @Option(
      names = "--max-header-count",
      defaultValue = "100",
      description =
          "Most header fields in a request; more is answered 431 (default: ${DEFAULT-VALUE}).")
  int maxHeaderCount;

  @Option(
      names = "--headers-timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Longest time from a request's first byte to the end of its headers; slower is answered"
              + " 408 (default: ${DEFAULT-VALUE}).")
  Duration headersTimeout;

  @Option(
      names = "--idle-timeout",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Close client connections idle this long between requests (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(
      names = "--max-requests-per-connection",
      defaultValue = "1000",
      description =
          "Requests served on one client connection; the last response carries Connection: close"
              + " (default: ${DEFAULT-VALUE}).")
  int maxRequestsPerConnection;

  @Option(
      names = "--http2-max-concurrent-streams",
      defaultValue = "100",
      description =
          "HTTP/2 streams a client may have open at once; more are refused (default:"
              + " ${DEFAULT-VALUE}).")
  int http2MaxConcurrentStreams;

  @Option(
      names = "--http2-stream-window-bytes",
      defaultValue = "65536",
      description =
          "HTTP/2 bytes a client may send on one stream ahead of the proxy (default:"
              + " ${DEFAULT-VALUE}).")
  int http2StreamWindowBytes;

  @Option(
      names = "--http2-connection-window-bytes",
      defaultValue = "1048576",
      description =
          "HTTP/2 bytes a client may send on one connection ahead of the proxy (default:"
              + " ${DEFAULT-VALUE}).")
  int http2ConnectionWindowBytes;

  @Option(
      names = "--shed-memory-percent",
      defaultValue = "90",
      description =
          "Answer new requests 503 while live heap or buffer memory is at or above this percent of"
              + " its maximum, until both are 10 points below (default: ${DEFAULT-VALUE}; 0: off).")
  int shedMemoryPercent;

  /**
   * Returns the dataplane defaults for {@code nodeId} with these flags and this build; without
   * {@code --https-port} there is no TLS listener.
   */
  DataplaneConfig dataplaneConfig(String nodeId) {
    return dataplaneConfig(nodeId, 0);
  }

  /**
   * Returns the dataplane defaults for {@code nodeId} with these flags and this build; without
   * {@code --https-port} the TLS listener is on {@code defaultHttpsPort} (0: none).
   */
  DataplaneConfig dataplaneConfig(String nodeId, int defaultHttpsPort) {
    int tlsPort = httpsPort != null ? httpsPort : defaultHttpsPort;
    DataplaneConfig config =
        tlsPort == 0
            ? DataplaneConfig.defaults(nodeId)
            : DataplaneConfig.defaults(nodeId).withHttps(new Listener(bindAddress, tlsPort));
    if (defaultCertificate != null) {
      config = config.withDefaultCertificate(defaultCertificate);
    }
    if (httpsRedirectPort != null) {
      config = config.withHttpsRedirectPort(httpsRedirectPort);
    } else if (defaultHttpsPort != 0) { // gantry dataplane: behind the Service's port 443
      config = config.withHttpsRedirectPort(443);
    }
    return config
        .withHttp(new Listener(bindAddress, httpPort))
        .withAdmin(new Listener(bindAddress, adminPort))
        .withEventLoopThreads(workerThreads)
        .withAccessLog(accessLogConfig())
        .withShutdown(new DataplaneConfig.Shutdown(shutdownDelay, shutdownTimeout))
        .withIdleTimeout(idleTimeout)
        .withLimits(limits())
        .withHttp2(http2())
        .withTrustedProxies(TrustedProxies.of(trustedProxies))
        .withShedMemoryPercent(shedMemoryPercent)
        .withBuild(Gantry.build());
  }

  private ListenerLimits limits() {
    return new ListenerLimits(
        maxRequestLineBytes,
        maxHeaderBytes,
        maxHeaderCount,
        headersTimeout,
        maxRequestsPerConnection,
        maxConnections);
  }

  private Http2Config http2() {
    Http2Config d = Http2Config.defaults();
    return new Http2Config(
        http2MaxConcurrentStreams,
        http2StreamWindowBytes,
        http2ConnectionWindowBytes,
        d.maxRstFramesPerWindow(),
        d.rstFramesWindow(),
        d.maxQueuedControlFrames(),
        d.gracefulShutdown());
  }

  private AccessLogConfig accessLogConfig() {
    if (!accessLog) {
      return AccessLogConfig.OFF;
    }
    return accessLogFields == null
        ? AccessLogConfig.DEFAULT
        : new AccessLogConfig(true, AccessLogField.parse(accessLogFields));
  }
}
