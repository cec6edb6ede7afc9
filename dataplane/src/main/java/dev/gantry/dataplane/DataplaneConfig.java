package dev.gantry.dataplane;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.observe.AccessLogConfig;
import dev.gantry.dataplane.pipeline.Http2Config;
import dev.gantry.dataplane.pipeline.ListenerLimits;
import dev.gantry.dataplane.pipeline.TrustedProxies;
import java.time.Duration;
import java.util.Optional;

/**
 * Configures a {@link Dataplane}. Start from {@link #defaults(String)} and adjust with the {@code
 * with…} methods; every value is checked when the record is built.
 *
 * @param nodeId stable name of this dataplane (the pod name in a cluster), sent to the operator
 * @param http where the proxy listens; default {@code 0.0.0.0:8080}; port 0 picks a free port
 * @param https where the proxy terminates TLS, picking each connection's certificate by SNI from
 *     the snapshot; default none (no TLS listener); port 0 picks a free port
 * @param defaultCertificate the {@code NAMESPACE/SECRET} of the snapshot certificate served when
 *     the server name matches no host with a certificate, or when the client sends none; default
 *     none (such handshakes fail)
 * @param httpsRedirectPort the port named by the redirect to HTTPS of hosts that ask for one: the
 *     port clients reach the TLS listener on (443, left out of the Location, behind a Service); 0
 *     (default) means the TLS listener's own port. Without a TLS listener nothing is redirected
 *     (see {@link #effectiveHttpsRedirectPort()})
 * @param admin where /live, /ready, /metrics and /snapshot listen; default {@code 0.0.0.0:9901};
 *     port 0 picks a free port
 * @param eventLoopThreads proxy event-loop threads; 0 (default) means one per CPU the JVM sees, as
 *     a proxy wants (Netty's own default is twice that)
 * @param idleTimeout closes client connections idle this long with no request in flight, and
 *     upstream connections idle this long in a pool or mid-exchange; default 60 s
 * @param reconnect backoff between attempts to reach the operator; default 250 ms doubling to 30 s,
 *     jittered
 * @param accessLog whether and how exchanges are logged, as JSON lines on the {@code gantry.access}
 *     logger; default on, every field
 * @param shutdown how {@link Dataplane#close()} drains: how long readiness fails before the
 *     listener closes, and how long in-flight exchanges may take after that; default 0 s and 25 s
 * @param limits request-size, time and connection limits of the proxy listener; default {@link
 *     ListenerLimits#DEFAULT} (request line 8 KiB, headers 32 KiB and 100 fields, 10 s to receive
 *     the headers, 1,000 requests per connection, 10,000 connections)
 * @param http2 HTTP/2 limits of the proxy listener (streams, flow-control windows, flood
 *     protection); default {@link Http2Config#defaults()}
 * @param trustedProxies peers (CIDR blocks) whose X-Forwarded-For chain, X-Forwarded-Proto/-Host
 *     and X-Request-Id the proxy keeps; from any other peer they are replaced; default none
 * @param shedMemoryPercent new requests are answered 503 while the heap live after a collection, or
 *     the buffer allocator's direct memory, is at or above this share of its maximum, until both
 *     fall 10 points below it; 0 turns shedding off; default 90
 * @param build this dataplane's build, reported to the operator; default the jar's implementation
 *     version, or {@code dev}
 */
public record DataplaneConfig(
    String nodeId,
    Listener http,
    Optional<Listener> https,
    Optional<String> defaultCertificate,
    int httpsRedirectPort,
    Listener admin,
    int eventLoopThreads,
    Duration idleTimeout,
    Backoff reconnect,
    AccessLogConfig accessLog,
    Shutdown shutdown,
    ListenerLimits limits,
    Http2Config http2,
    TrustedProxies trustedProxies,
    int shedMemoryPercent,
    String build) {

  /** Default proxy port. */
  public static final int DEFAULT_HTTP_PORT = 8080;

  /**
   * Default TLS port of {@code gantry dataplane}; the library itself has no TLS listener by
   * default.
   */
  public static final int DEFAULT_HTTPS_PORT = 8443;

  /** Default admin port. */
  public static final int DEFAULT_ADMIN_PORT = 9901;

  /** Default {@link #idleTimeout()}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Default {@link #shedMemoryPercent()}. */
  public static final int DEFAULT_SHED_MEMORY_PERCENT = 90;

  public DataplaneConfig {
    requireNonNull(nodeId, "nodeId");
    requireNonNull(http, "http");
    requireNonNull(https, "https");
    requireNonNull(defaultCertificate, "defaultCertificate");
    requireNonNull(admin, "admin");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(reconnect, "reconnect");
    requireNonNull(accessLog, "accessLog");
    requireNonNull(shutdown, "shutdown");
    requireNonNull(limits, "limits");
    requireNonNull(http2, "http2");
    requireNonNull(trustedProxies, "trustedProxies");
    requireNonNull(build, "build");
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException(
          "nodeId: blank (expected: a stable name, e.g. the pod name)");
    }
    defaultCertificate.ifPresent(DataplaneConfig::checkCertificateName);
    if (httpsRedirectPort < 0 || httpsRedirectPort > 65535) {
      throw new IllegalArgumentException(
          "httpsRedirectPort: "
              + httpsRedirectPort
              + " (expected: 1..65535, or 0 for the TLS listener's port)");
    }
    if (eventLoopThreads < 0) {
      throw new IllegalArgumentException(
          "eventLoopThreads: " + eventLoopThreads + " (expected: >= 0)");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
    }
    if (shedMemoryPercent != 0 && (shedMemoryPercent < 50 || shedMemoryPercent > 100)) {
      throw new IllegalArgumentException(
          "shedMemoryPercent: " + shedMemoryPercent + " (expected: 0 (off) or 50..100)");
    }
  }

  private static void checkCertificateName(String name) {
    int slash = name.indexOf('/');
    if (slash <= 0 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "defaultCertificate: \"" + name + "\" (expected: NAMESPACE/SECRET)");
    }
  }

  /** Returns the defaults for the dataplane named {@code nodeId}. */
  public static DataplaneConfig defaults(String nodeId) {
    String version = DataplaneConfig.class.getPackage().getImplementationVersion();
    return new DataplaneConfig(
        nodeId,
        Listener.any(DEFAULT_HTTP_PORT),
        Optional.empty(),
        Optional.empty(),
        0,
        Listener.any(DEFAULT_ADMIN_PORT),
        0,
        DEFAULT_IDLE_TIMEOUT,
        Backoff.DEFAULT,
        AccessLogConfig.DEFAULT,
        Shutdown.DEFAULT,
        ListenerLimits.DEFAULT,
        Http2Config.defaults(),
        TrustedProxies.NONE,
        DEFAULT_SHED_MEMORY_PERCENT,
        version == null ? "dev" : version);
  }

  public DataplaneConfig withHttp(Listener listener) {
    return toBuilder().http(listener).build();
  }

  /** Returns this configuration with a TLS listener at {@code listener}. */
  public DataplaneConfig withHttps(Listener listener) {
    return toBuilder().https(Optional.of(listener)).build();
  }

  /** Returns this configuration without a TLS listener. */
  public DataplaneConfig withoutHttps() {
    return toBuilder().https(Optional.empty()).build();
  }

  /**
   * Returns this configuration with {@code name} ({@code NAMESPACE/SECRET}) as the default
   * certificate.
   */
  public DataplaneConfig withDefaultCertificate(String name) {
    return toBuilder().defaultCertificate(Optional.of(name)).build();
  }

  /** Returns this configuration naming {@code port} in redirects to HTTPS (0: the TLS port). */
  public DataplaneConfig withHttpsRedirectPort(int port) {
    return toBuilder().httpsRedirectPort(port).build();
  }

  /**
   * Returns the port redirects to HTTPS name: {@link #httpsRedirectPort()}, else the TLS listener's
   * port; 0 (no redirects) without a TLS listener, or when it picks a free port and no redirect
   * port is set.
   */
  public int effectiveHttpsRedirectPort() {
    if (https.isEmpty()) {
      return 0;
    }
    return httpsRedirectPort != 0 ? httpsRedirectPort : https.get().port();
  }

  public DataplaneConfig withAdmin(Listener listener) {
    return toBuilder().admin(listener).build();
  }

  /**
   * Returns the number of proxy event loops to run: {@link #eventLoopThreads()}, or one per CPU.
   */
  public int workerThreads() {
    return eventLoopThreads > 0 ? eventLoopThreads : Runtime.getRuntime().availableProcessors();
  }

  public DataplaneConfig withEventLoopThreads(int threads) {
    return toBuilder().eventLoopThreads(threads).build();
  }

  public DataplaneConfig withIdleTimeout(Duration timeout) {
    return toBuilder().idleTimeout(timeout).build();
  }

  public DataplaneConfig withReconnect(Backoff backoff) {
    return toBuilder().reconnect(backoff).build();
  }

  public DataplaneConfig withAccessLog(AccessLogConfig log) {
    return toBuilder().accessLog(log).build();
  }

  public DataplaneConfig withShutdown(Shutdown drain) {
    return toBuilder().shutdown(drain).build();
  }

  public DataplaneConfig withLimits(ListenerLimits listenerLimits) {
    return toBuilder().limits(listenerLimits).build();
  }

  public DataplaneConfig withHttp2(Http2Config config) {
    return toBuilder().http2(config).build();
  }

  public DataplaneConfig withTrustedProxies(TrustedProxies proxies) {
    return toBuilder().trustedProxies(proxies).build();
  }

  public DataplaneConfig withShedMemoryPercent(int percent) {
    return toBuilder().shedMemoryPercent(percent).build();
  }

  public DataplaneConfig withBuild(String buildName) {
    return toBuilder().build(buildName).build();
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** A mutable copy that the {@code with…} methods change one field of; never escapes. */
  private static final class Builder {
    private String nodeId;
    private Listener http;
    private Optional<Listener> https;
    private Optional<String> defaultCertificate;
    private int httpsRedirectPort;
    private Listener admin;
    private int eventLoopThreads;
    private Duration idleTimeout;
    private Backoff reconnect;
    private AccessLogConfig accessLog;
    private Shutdown shutdown;
    private ListenerLimits limits;
    private Http2Config http2;
    private TrustedProxies trustedProxies;
    private int shedMemoryPercent;
    private String build;

    Builder(DataplaneConfig c) {
      nodeId = c.nodeId;
      http = c.http;
      https = c.https;
      defaultCertificate = c.defaultCertificate;
      httpsRedirectPort = c.httpsRedirectPort;
      admin = c.admin;
      eventLoopThreads = c.eventLoopThreads;
      idleTimeout = c.idleTimeout;
      reconnect = c.reconnect;
      accessLog = c.accessLog;
      shutdown = c.shutdown;
      limits = c.limits;
      http2 = c.http2;
      trustedProxies = c.trustedProxies;
      shedMemoryPercent = c.shedMemoryPercent;
      build = c.build;
    }

    Builder http(Listener v) {
      http = v;
      return this;
    }

    Builder https(Optional<Listener> v) {
      https = v;
      return this;
    }

    Builder defaultCertificate(Optional<String> v) {
      defaultCertificate = v;
      return this;
    }

    Builder httpsRedirectPort(int v) {
      httpsRedirectPort = v;
      return this;
    }

    Builder admin(Listener v) {
      admin = v;
      return this;
    }

    Builder eventLoopThreads(int v) {
      eventLoopThreads = v;
      return this;
    }

    Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    Builder reconnect(Backoff v) {
      reconnect = v;
      return this;
    }

    Builder accessLog(AccessLogConfig v) {
      accessLog = v;
      return this;
    }

    Builder shutdown(Shutdown v) {
      shutdown = v;
      return this;
    }

    Builder limits(ListenerLimits v) {
      limits = v;
      return this;
    }

    Builder http2(Http2Config v) {
      http2 = v;
      return this;
    }

    Builder trustedProxies(TrustedProxies v) {
      trustedProxies = v;
      return this;
    }

    Builder shedMemoryPercent(int v) {
      shedMemoryPercent = v;
      return this;
    }

    Builder build(String v) {
      build = v;
      return this;
    }

    DataplaneConfig build() {
      return new DataplaneConfig(
          nodeId,
          http,
          https,
          defaultCertificate,
          httpsRedirectPort,
          admin,
          eventLoopThreads,
          idleTimeout,
          reconnect,
          accessLog,
          shutdown,
          limits,
          http2,
          trustedProxies,
          shedMemoryPercent,
          build);
    }
  }

  /**
   * How the dataplane stops.
   *
   * @param delay readiness fails this long before the listener closes, so that load balancers stop
   *     sending new connections first (the chart sets it to 5 s)
   * @param timeout the longest in-flight exchanges get after the listener closes; then the
   *     remaining connections are cut
   */
  public record Shutdown(Duration delay, Duration timeout) {
    public static final Shutdown DEFAULT = new Shutdown(Duration.ZERO, Duration.ofSeconds(25));

    public Shutdown {
      requireNonNull(delay, "delay");
      requireNonNull(timeout, "timeout");
      if (delay.isNegative() || timeout.isNegative()) {
        throw new IllegalArgumentException(
            "shutdown: delay " + delay + ", timeout " + timeout + " (expected: >= 0)");
      }
    }
  }

  /**
   * An address to listen on.
   *
   * @param host a literal IP address or host name; {@code 0.0.0.0} for every interface
   * @param port 0..65535; 0 picks a free port (read it back from the {@link Dataplane})
   */
  public record Listener(String host, int port) {

    public Listener {
      requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host: blank (expected: an address such as 0.0.0.0)");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
    }

    /** Returns a listener on every interface. */
    public static Listener any(int port) {
      return new Listener("0.0.0.0", port);
    }

    /** Returns a listener on 127.0.0.1 only. */
    public static Listener loopback(int port) {
      return new Listener("127.0.0.1", port);
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /**
   * Reconnection backoff: delays double from {@code initial} to {@code max}, each jittered.
   *
   * @param initial first delay, above 0
   * @param max largest delay, at least {@code initial}
   */
  public record Backoff(Duration initial, Duration max) {

    /** 250 ms doubling to 30 s. */
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));

    public Backoff {
      requireNonNull(initial, "initial");
      requireNonNull(max, "max");
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "backoff: " + initial + ".." + max + " (expected: 0 < initial <= max)");
      }
    }
  }
}
