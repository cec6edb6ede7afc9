package dev.gantry.operator.translate;

import com.google.protobuf.ByteString;
import dev.gantry.operator.ir.CircuitBreakers;
import dev.gantry.operator.ir.Cluster;
import dev.gantry.operator.ir.CorsPolicy;
import dev.gantry.operator.ir.OutlierDetection;
import dev.gantry.operator.ir.RetryPolicy;
import dev.gantry.operator.ir.Route;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.RouteGraph;
import dev.gantry.operator.ir.RouteMatch;
import dev.gantry.operator.ir.RoutePolicy;
import dev.gantry.operator.ir.ValueMatch;
import dev.gantry.operator.ir.VirtualHost;
import dev.gantry.protocol.v1.ClientValidation;
import dev.gantry.protocol.v1.DirectResponse;
import dev.gantry.protocol.v1.Endpoint;
import dev.gantry.protocol.v1.ForwardAction;
import dev.gantry.protocol.v1.HashPolicy;
import dev.gantry.protocol.v1.HeaderMatch;
import dev.gantry.protocol.v1.HealthCheck;
import dev.gantry.protocol.v1.Hsts;
import dev.gantry.protocol.v1.LbPolicy;
import dev.gantry.protocol.v1.QueryParamMatch;
import dev.gantry.protocol.v1.RetryBudget;
import dev.gantry.protocol.v1.RetryOn;
import dev.gantry.protocol.v1.SessionPersistence;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.SourceFilter;
import dev.gantry.protocol.v1.TcpProxy;
import dev.gantry.protocol.v1.TlsCertificate;
import dev.gantry.protocol.v1.TlsPolicy;
import dev.gantry.protocol.v1.TlsVersion;
import dev.gantry.protocol.v1.Toggle;
import dev.gantry.protocol.v1.WeightedCluster;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a route graph into the wire snapshot. Pure: the same graph gives the same bytes, and so the
 * same digest.
 */
public final class SnapshotTranslator {
  private SnapshotTranslator() {}

  /** Returns the snapshot content for {@code graph}, with version 0 and its digest set. */
  public static Snapshot translate(RouteGraph graph) {
    Snapshot.Builder s = Snapshot.newBuilder();
    graph.virtualHosts().forEach(vh -> s.addVirtualHosts(virtualHost(vh)));
    graph.clusters().forEach(c -> s.addClusters(cluster(c)));
    graph
        .certificates()
        .forEach(
            c ->
                s.addCertificates(
                    TlsCertificate.newBuilder()
                        .setName(c.name())
                        .setCertificateChain(ByteString.copyFrom(c.certificateChain()))
                        .setPrivateKey(ByteString.copyFrom(c.privateKey()))));
    Snapshot content = s.build();
    return content.toBuilder().setDigest(digest(content)).build();
  }

  /** Returns the hex SHA-256 of a snapshot with its version and digest cleared. */
  public static String digest(Snapshot snapshot) {
    byte[] bytes = snapshot.toBuilder().clearVersion().clearDigest().build().toByteArray();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static dev.gantry.protocol.v1.VirtualHost virtualHost(VirtualHost vh) {
    var b =
        dev.gantry.protocol.v1.VirtualHost.newBuilder().setName(vh.host()).addDomains(vh.host());
    vh.routes().forEach(r -> b.addRoutes(route(r)));
    vh.certificate().ifPresent(b::setCertificate);
    vh.tlsPolicy().ifPresent(p -> b.setTlsPolicy(tlsPolicy(p)));
    b.setHttpsRedirect(vh.httpsRedirect());
    vh.hsts()
        .ifPresent(
            h ->
                b.setHsts(
                    Hsts.newBuilder()
                        .setMaxAge(duration(h.maxAge()))
                        .setIncludeSubdomains(h.includeSubdomains())
                        .setPreload(h.preload())));
    vh.tcpProxy()
        .ifPresent(
            t -> {
              TcpProxy.Builder tb = TcpProxy.newBuilder();
              t.clusters()
                  .forEach(
                      w ->
                          tb.addClusters(
                              WeightedCluster.newBuilder()
                                  .setCluster(w.cluster())
                                  .setWeight(w.weight())));
              if (!t.idleTimeout().isZero()) {
                tb.setIdleTimeout(duration(t.idleTimeout()));
              }
              b.setTcpProxy(tb);
            });
    return b.build();
  }

  private static TlsPolicy tlsPolicy(dev.gantry.operator.ir.TlsPolicy p) {
    TlsPolicy.Builder b =
        TlsPolicy.newBuilder()
            .setMinVersion(
                switch (p.minVersion()) {
                  case TLS_1_2 -> TlsVersion.TLS_VERSION_1_2;
                  case TLS_1_3 -> TlsVersion.TLS_VERSION_1_3;
                })
            .addAllCipherSuites(p.cipherSuites());
    p.clientValidation()
        .ifPresent(
            c ->
                b.setClientValidation(
                    ClientValidation.newBuilder()
                        .setCaBundle(ByteString.copyFromUtf8(c.caBundle()))
                        .setOptional(c.optional())
                        .setForwardCertificate(c.forwardCertificate())));
    return b.build();
  }

  private static dev.gantry.protocol.v1.Route route(Route r) {
    var b = dev.gantry.protocol.v1.Route.newBuilder().setName(r.name());
    b.setMatch(match(r.match()));
    switch (r.action()) {
      case RouteAction.Forward f -> {
        ForwardAction.Builder fb = ForwardAction.newBuilder();
        f.clusters()
            .forEach(
                w ->
                    fb.addClusters(
                        WeightedCluster.newBuilder()
                            .setCluster(w.cluster())
                            .setWeight(w.weight())));
        b.setForward(fb);
      }
      case RouteAction.DirectResponse d ->
          b.setDirectResponse(
              DirectResponse.newBuilder()
                  .setStatus(d.status())
                  .setBody(ByteString.copyFrom(d.body(), StandardCharsets.UTF_8)));
      case RouteAction.Redirect redirect -> b.setRedirect(FilterTranslator.redirect(redirect));
    }
    b.addAllFilters(FilterTranslator.filters(r.filters()));
    b.setMaxRequestBodyBytes(r.policy().maxRequestBodyBytes());
    r.policy().hashOn().forEach(source -> b.addHashPolicy(hashPolicy(source)));
    r.policy()
        .session()
        .ifPresent(
            session ->
                b.setSessionPersistence(
                    SessionPersistence.newBuilder()
                        .setCookieName(session.cookieName())
                        .setAbsoluteTimeout(FilterTranslator.duration(session.absoluteTimeout()))
                        .setPermanent(session.permanent())));
    FilterTranslator.timeouts(r.timeouts()).ifPresent(b::setTimeouts);
    r.policy().retry().ifPresent(retry -> b.setRetry(retryPolicy(retry)));
    r.policy().cors().ifPresent(cors -> b.setCors(cors(cors)));
    if (!r.policy().grpcWeb()) {
      b.setGrpcWeb(Toggle.TOGGLE_OFF);
    }
    if (!r.policy().websocket()) {
      b.setWebsocket(Toggle.TOGGLE_OFF);
    }
    r.policy()
        .sources()
        .ifPresent(
            sources ->
                b.setSourceFilter(
                    SourceFilter.newBuilder()
                        .addAllAllow(sources.allow())
                        .addAllDeny(sources.deny())));
    r.policy()
        .rateLimit()
        .ifPresent(
            limit ->
                b.setRateLimit(
                    dev.gantry.protocol.v1.RateLimit.newBuilder()
                        .setRequests(limit.requests())
                        .setPer(FilterTranslator.duration(limit.per()))
                        .setBurst(limit.burst())
                        .setKey(
                            limit.perClient()
                                ? dev.gantry.protocol.v1.RateLimit.Key.KEY_CLIENT
                                : dev.gantry.protocol.v1.RateLimit.Key.KEY_ROUTE)));
    return b.build();
  }

  private static dev.gantry.protocol.v1.CorsPolicy cors(CorsPolicy cors) {
    var c =
        dev.gantry.protocol.v1.CorsPolicy.newBuilder()
            .addAllAllowOrigins(cors.allowOrigins())
            .addAllAllowMethods(cors.allowMethods())
            .addAllAllowHeaders(cors.allowHeaders())
            .addAllExposeHeaders(cors.exposeHeaders())
            .setAllowCredentials(cors.allowCredentials());
    if (!cors.maxAge().isZero()) {
      c.setMaxAge(FilterTranslator.duration(cors.maxAge()));
    }
    return c.build();
  }

  private static dev.gantry.protocol.v1.RouteMatch match(RouteMatch match) {
    var m = dev.gantry.protocol.v1.RouteMatch.newBuilder();
    String path = match.path().value();
    switch (match.path().kind()) {
      case EXACT -> m.setExact(path);
      case PREFIX -> m.setPrefix(path);
      case REGEX -> m.setRegex(path);
    }
    for (ValueMatch h : match.headers()) {
      var hb = HeaderMatch.newBuilder().setName(h.name());
      if (h.kind() == ValueMatch.Kind.REGEX) {
        hb.setRegex(h.value());
      } else {
        hb.setExact(h.value());
      }
      m.addHeaders(hb);
    }
    for (ValueMatch q : match.queryParams()) {
      var qb = QueryParamMatch.newBuilder().setName(q.name());
      if (q.kind() == ValueMatch.Kind.REGEX) {
        qb.setRegex(q.value());
      } else {
        qb.setExact(q.value());
      }
      m.addQueryParams(qb);
    }
    match.method().ifPresent(m::setMethod);
    return m.build();
  }

  private static HashPolicy hashPolicy(RoutePolicy.HashSource source) {
    return switch (source) {
      case RoutePolicy.HashSource.Header h -> HashPolicy.newBuilder().setHeader(h.name()).build();
      case RoutePolicy.HashSource.Cookie c -> HashPolicy.newBuilder().setCookie(c.name()).build();
      case RoutePolicy.HashSource.SourceIp ip -> HashPolicy.newBuilder().setSourceIp(true).build();
    };
  }

  private static dev.gantry.protocol.v1.RetryPolicy retryPolicy(RetryPolicy retry) {
    var b =
        dev.gantry.protocol.v1.RetryPolicy.newBuilder()
            .setAttempts(retry.attempts())
            .addAllCodes(retry.codes())
            .setNonIdempotent(retry.nonIdempotent());
    for (RetryPolicy.Condition c : retry.on()) {
      b.addOn(
          switch (c) {
            case CONNECT_FAILURE -> RetryOn.RETRY_ON_CONNECT_FAILURE;
            case RESET -> RetryOn.RETRY_ON_RESET;
            case GATEWAY_ERROR -> RetryOn.RETRY_ON_GATEWAY_ERROR;
            case PER_TRY_TIMEOUT -> RetryOn.RETRY_ON_PER_TRY_TIMEOUT;
          });
    }
    if (!retry.backoff().isZero()) {
      b.setBackoff(duration(retry.backoff()));
    }
    if (!retry.perTryTimeout().isZero()) {
      b.setPerTryTimeout(duration(retry.perTryTimeout()));
    }
    return b.build();
  }

  private static dev.gantry.protocol.v1.CircuitBreakers circuitBreakers(CircuitBreakers cb) {
    var b =
        dev.gantry.protocol.v1.CircuitBreakers.newBuilder()
            .setMaxConnections(cb.maxConnections())
            .setMaxPendingRequests(cb.maxPendingRequests())
            .setMaxRequests(cb.maxRequests())
            .setMaxRetries(cb.maxRetries());
    if (cb.hasRetryBudget()) {
      b.setRetryBudget(
          RetryBudget.newBuilder()
              .setBudgetPercent(cb.budgetPercent())
              .setMinRetryConcurrency(cb.minRetryConcurrency()));
    }
    return b.build();
  }

  private static com.google.protobuf.Duration duration(java.time.Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  private static dev.gantry.protocol.v1.Cluster cluster(Cluster c) {
    var b =
        dev.gantry.protocol.v1.Cluster.newBuilder()
            .setName(c.name())
            .setEmptyReason(c.emptyReason())
            .setLbPolicy(
                switch (c.policy().lbPolicy()) {
                  case ROUND_ROBIN -> LbPolicy.LB_POLICY_ROUND_ROBIN;
                  case RANDOM -> LbPolicy.LB_POLICY_RANDOM;
                  case LEAST_REQUEST -> LbPolicy.LB_POLICY_LEAST_REQUEST;
                  case RING_HASH -> LbPolicy.LB_POLICY_RING_HASH;
                  case MAGLEV -> LbPolicy.LB_POLICY_MAGLEV;
                })
            .setProtocol(
                c.protocol().isHttp2()
                    ? dev.gantry.protocol.v1.UpstreamProtocol.UPSTREAM_PROTOCOL_H2C
                    : dev.gantry.protocol.v1.UpstreamProtocol.UPSTREAM_PROTOCOL_HTTP1);
    c.tls()
        .ifPresent(
            t ->
                b.setTls(
                    dev.gantry.protocol.v1.UpstreamTls.newBuilder()
                        .setServerName(t.serverName())
                        .setInsecureSkipVerify(t.insecureSkipVerify())
                        .setCaBundle(ByteString.copyFromUtf8(t.caBundle()))
                        .setClientCertificate(t.clientCertificate())));
    if (!c.policy().circuitBreakers().equals(CircuitBreakers.NONE)) {
      b.setCircuitBreakers(circuitBreakers(c.policy().circuitBreakers()));
    }
    c.policy().healthCheck().ifPresent(h -> b.setHealthCheck(healthCheck(h)));
    if (!c.policy().outlierDetection().equals(OutlierDetection.DEFAULT)) {
      // Absent means the same defaults on the dataplane: most clusters send nothing.
      b.setOutlierDetection(outlierDetection(c.policy().outlierDetection()));
    }
    c.policy().connectTimeout().ifPresent(t -> b.setConnectTimeout(FilterTranslator.duration(t)));
    c.endpoints()
        .forEach(
            e ->
                b.addEndpoints(
                    Endpoint.newBuilder().setAddress(e.address()).setPort(e.port()).setWeight(1)));
    return b.build();
  }

  private static HealthCheck healthCheck(dev.gantry.operator.ir.HealthCheck h) {
    return HealthCheck.newBuilder()
        .setPath(h.path())
        .setInterval(FilterTranslator.duration(h.interval()))
        .setTimeout(FilterTranslator.duration(h.timeout()))
        .setHealthyThreshold(h.healthyThreshold())
        .setUnhealthyThreshold(h.unhealthyThreshold())
        .setHost(h.host())
        .setExpectedStatusMin(h.statusMin())
        .setExpectedStatusMax(h.statusMax())
        .build();
  }

  private static dev.gantry.protocol.v1.OutlierDetection outlierDetection(OutlierDetection o) {
    return dev.gantry.protocol.v1.OutlierDetection.newBuilder()
        .setConsecutiveGatewayErrors(o.consecutiveGatewayErrors())
        .setConsecutive5Xx(o.consecutive5xx())
        .setBaseEjectionTime(FilterTranslator.duration(o.baseEjectionTime()))
        .setMaxEjectionTime(FilterTranslator.duration(o.maxEjectionTime()))
        .setMaxEjectionPercent(o.maxEjectionPercent())
        .build();
  }
}
