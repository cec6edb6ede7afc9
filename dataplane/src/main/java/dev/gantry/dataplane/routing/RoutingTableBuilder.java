package dev.gantry.dataplane.routing;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.balance.LoadBalancer;
import dev.gantry.dataplane.balance.RequestHash;
import dev.gantry.dataplane.balance.WeightedChoice;
import dev.gantry.dataplane.health.ClusterBalancer;
import dev.gantry.dataplane.health.HealthCheckPolicy;
import dev.gantry.dataplane.health.OutlierPolicy;
import dev.gantry.dataplane.tls.ServerNameIndex;
import dev.gantry.dataplane.tls.TlsPolicy;
import dev.gantry.dataplane.upstream.UpstreamProtocol;
import dev.gantry.dataplane.upstream.UpstreamTransport;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.ForwardAction;
import dev.gantry.protocol.v1.HashPolicy;
import dev.gantry.protocol.v1.HeaderMatch;
import dev.gantry.protocol.v1.HealthCheck;
import dev.gantry.protocol.v1.LbPolicy;
import dev.gantry.protocol.v1.OutlierDetection;
import dev.gantry.protocol.v1.QueryParamMatch;
import dev.gantry.protocol.v1.RetryOn;
import dev.gantry.protocol.v1.SessionPersistence;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TcpProxy;
import dev.gantry.protocol.v1.TlsCertificate;
import dev.gantry.protocol.v1.UpstreamTls;
import dev.gantry.protocol.v1.WeightedCluster;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates a snapshot into a {@link RoutingTable}: one balancer per cluster, routes resolved to
 * clusters, a host index over the virtual hosts. A pure function; runs on the thread that applies
 * the snapshot.
 */
final class RoutingTableBuilder {

  private static final Logger log = LoggerFactory.getLogger(RoutingTableBuilder.class);

  /** The most retries a route may ask for: more only multiplies load on a failing upstream. */
  static final int MAX_RETRY_ATTEMPTS = 10;

  private RoutingTableBuilder() {}

  static RoutingTable build(Snapshot snapshot, RoutingTable previous) {
    // Snapshots come with every EndpointSlice change: TLS contexts whose settings did not change
    // are kept rather than parsed and built again.
    Map<String, dev.gantry.dataplane.upstream.UpstreamTls> builtTls = new HashMap<>();
    for (UpstreamCluster c : previous.clusters()) {
      c.transport().tls().ifPresent(t -> builtTls.put(t.identity(), t));
    }
    Map<String, UpstreamCluster> clusters = new HashMap<>();
    Map<String, TlsCertificate> certificates = new HashMap<>();
    snapshot.getCertificatesList().forEach(c -> certificates.put(c.getName(), c));
    int endpoints = 0;
    for (Cluster cluster : snapshot.getClustersList()) {
      List<Endpoint> members = new ArrayList<>(cluster.getEndpointsCount());
      for (dev.gantry.protocol.v1.Endpoint endpoint : cluster.getEndpointsList()) {
        members.add(endpoint(cluster.getName(), endpoint));
      }
      String emptyReason = cluster.getEmptyReason();
      UpstreamTransport transport;
      try {
        transport = transport(cluster, certificates, builtTls);
      } catch (IllegalArgumentException e) {
        // Bad TLS material takes only its own cluster out of service, never the snapshot.
        log.error(
            "cluster {}: {}; its requests are answered 503", cluster.getName(), e.getMessage());
        transport = UpstreamTransport.cleartext(protocol(cluster.getProtocol()));
        members = List.of();
        emptyReason = e.getMessage();
      }
      endpoints += members.size();
      Duration connectTimeout = duration(cluster.getConnectTimeout());
      UpstreamCluster built =
          new UpstreamCluster(
              cluster.getName(),
              new ClusterBalancer(
                  cluster.getName(),
                  members,
                  balancer(cluster.getLbPolicy()),
                  healthCheck(cluster),
                  outlier(cluster)),
              connectTimeout.isZero() ? UpstreamCluster.DEFAULT_CONNECT_TIMEOUT : connectTimeout,
              emptyReason,
              circuitBreakers(cluster),
              transport);
      if (clusters.putIfAbsent(cluster.getName(), built) != null) {
        throw new IllegalArgumentException("cluster " + cluster.getName() + " is defined twice");
      }
    }
    List<VirtualHost> hosts = new ArrayList<>(snapshot.getVirtualHostsCount());
    Map<String, Optional<TcpProxyRoute>> serverNames = new HashMap<>();
    // A rule's limiter is shared by its hostnames, and kept from the previous table while the
    // limit is the same: snapshots come with every EndpointSlice change.
    Map<String, RateLimiter> limiters = new HashMap<>();
    int routes = 0;
    for (dev.gantry.protocol.v1.VirtualHost host : snapshot.getVirtualHostsList()) {
      if (host.hasTcpProxy()) {
        TcpProxyRoute relay = tcpProxy(host, clusters);
        host.getDomainsList().forEach(d -> serverNames.put(d, Optional.of(relay)));
      } else if (!host.getCertificate().isEmpty()) {
        host.getDomainsList().forEach(d -> serverNames.putIfAbsent(d, Optional.empty()));
      }
      String hsts = host.hasHsts() ? hsts(host.getHsts()) : "";
      List<Route> built = new ArrayList<>(host.getRoutesCount());
      for (dev.gantry.protocol.v1.Route route : host.getRoutesList()) {
        built.add(route(route, clusters, hsts, limiter(route, previous, limiters)));
      }
      routes += built.size();
      hosts.add(
          new VirtualHost(
              host.getName(),
              host.getDomainsList(),
              built,
              // A host without a certificate has no HTTPS to go to, whatever the flag says.
              host.getHttpsRedirect() && !host.getCertificate().isEmpty(),
              hsts,
              TlsPolicy.of(host)));
    }
    RoutingTable.Stats stats =
        new RoutingTable.Stats(hosts.size(), routes, clusters.size(), endpoints);
    return new RoutingTable(
        snapshot.getVersion(),
        snapshot.getDigest(),
        new HostIndex(hosts),
        new ServerNameIndex<>(serverNames),
        stats,
        List.copyOf(clusters.values()),
        limiters);
  }

  /**
   * Returns the route's rate limiter: the previous table's if it counts the same, else a new one.
   */
  private static RateLimiter limiter(
      dev.gantry.protocol.v1.Route route,
      RoutingTable previous,
      Map<String, RateLimiter> limiters) {
    if (!route.hasRateLimit()) {
      return null;
    }
    dev.gantry.protocol.v1.RateLimit limit = route.getRateLimit();
    RateLimiter wanted;
    try {
      wanted =
          new RateLimiter(
              limit.getRequests(),
              duration(limit.getPer()),
              limit.getBurst(),
              limit.getKey() == dev.gantry.protocol.v1.RateLimit.Key.KEY_CLIENT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("route " + route.getName() + ": " + e.getMessage(), e);
    }
    RateLimiter chosen = limiters.get(route.getName());
    if (chosen == null || !chosen.identity().equals(wanted.identity())) {
      RateLimiter kept = previous.rateLimiters().get(route.getName());
      chosen = kept != null && kept.identity().equals(wanted.identity()) ? kept : wanted;
      limiters.put(route.getName(), chosen);
    }
    return chosen;
  }

  /** Returns the relay of a passthrough host; its clusters must exist. */
  private static TcpProxyRoute tcpProxy(
      dev.gantry.protocol.v1.VirtualHost host, Map<String, UpstreamCluster> clusters) {
    TcpProxy proxy = host.getTcpProxy();
    if (proxy.getClustersCount() == 0) {
      throw new IllegalArgumentException(
          "virtual host "
              + host.getName()
              + ": tcp_proxy has no clusters (expected: at least one)");
    }
    List<UpstreamCluster> targets = new ArrayList<>(proxy.getClustersCount());
    List<Integer> weights = new ArrayList<>(proxy.getClustersCount());
    for (WeightedCluster weighted : proxy.getClustersList()) {
      UpstreamCluster target = clusters.get(weighted.getCluster());
      if (target == null) {
        throw new IllegalArgumentException(
            "virtual host "
                + host.getName()
                + ": tcp_proxy relays to unknown cluster "
                + weighted.getCluster());
      }
      targets.add(target);
      weights.add((int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(weighted.getWeight())));
    }
    Duration idle = duration(proxy.getIdleTimeout());
    return new TcpProxyRoute(
        host.getName(),
        WeightedChoice.of(targets, weights),
        idle.isZero() ? TcpProxyRoute.DEFAULT_IDLE_TIMEOUT : idle);
  }

  /** Returns the CORS policy of a route; gRPC-Web routes expose grpc-status and grpc-message. */
  private static CorsPolicy cors(
      dev.gantry.protocol.v1.CorsPolicy cors, dev.gantry.protocol.v1.Toggle grpcWeb) {
    java.util.LinkedHashSet<String> expose = new java.util.LinkedHashSet<>();
    cors.getExposeHeadersList().forEach(h -> expose.add(h.toLowerCase(java.util.Locale.ROOT)));
    if (grpcWeb != dev.gantry.protocol.v1.Toggle.TOGGLE_OFF) {
      expose.add("grpc-status");
      expose.add("grpc-message");
    }
    Duration maxAge = duration(cors.getMaxAge());
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("cors max_age: " + maxAge + " (expected: >= 0)");
    }
    return new CorsPolicy(
        cors.getAllowOriginsList().stream()
            .map(o -> o.toLowerCase(java.util.Locale.ROOT))
            .collect(java.util.stream.Collectors.toSet()),
        cors.getAllowMethodsList(),
        cors.getAllowHeadersList().stream()
            .map(h -> h.toLowerCase(java.util.Locale.ROOT))
            .collect(java.util.stream.Collectors.toSet()),
        String.join(", ", expose),
        maxAge,
        cors.getAllowCredentials());
  }

  /** Returns the Strict-Transport-Security value of {@code hsts} (RFC 6797 §6.1). */
  static String hsts(dev.gantry.protocol.v1.Hsts hsts) {
    Duration maxAge = duration(hsts.getMaxAge());
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("hsts max_age: " + maxAge + " (expected: >= 0)");
    }
    return "max-age="
        + maxAge.toSeconds()
        + (hsts.getIncludeSubdomains() ? "; includeSubDomains" : "")
        + (hsts.getPreload() ? "; preload" : "");
  }

  private static Route route(
      dev.gantry.protocol.v1.Route route,
      Map<String, UpstreamCluster> clusters,
      String hsts,
      RateLimiter rateLimit) {
    try {
      RouteMatch match = match(route.getMatch());
      RouteFilters filters = FilterBuilder.filters(route.getFiltersList(), match.path(), clusters);
      return new Route(
          route.getName(),
          match,
          action(route, match.path(), clusters),
          requestTimeout(route.getTimeouts()),
          filters,
          maxRequestBodyBytes(route.getMaxRequestBodyBytes()),
          retry(route),
          hsts.isEmpty()
              ? filters.responseHeaders()
              : filters.responseHeaders().setting(VirtualHost.STRICT_TRANSPORT_SECURITY, hsts),
          route.getGrpcWeb() != dev.gantry.protocol.v1.Toggle.TOGGLE_OFF,
          route.hasCors() ? cors(route.getCors(), route.getGrpcWeb()) : null,
          route.getWebsocket() != dev.gantry.protocol.v1.Toggle.TOGGLE_OFF,
          upgradeIdleTimeout(route.getTimeouts()),
          route.hasSourceFilter()
              ? new SourceFilter(
                  AddressBlocks.of(route.getSourceFilter().getAllowList()),
                  AddressBlocks.of(route.getSourceFilter().getDenyList()))
              : SourceFilter.ANY,
          rateLimit);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("route " + route.getName() + ": " + e.getMessage(), e);
    }
  }

  /** Returns the idle timeout of the route's upgraded connections: timeouts.idle, else one hour. */
  private static Duration upgradeIdleTimeout(dev.gantry.protocol.v1.Timeouts timeouts) {
    Duration idle = duration(timeouts.getIdle());
    if (idle.isNegative()) {
      throw new IllegalArgumentException("timeouts idle: " + idle + " (expected: >= 0)");
    }
    return idle.isZero() ? Route.DEFAULT_UPGRADE_IDLE_TIMEOUT : idle;
  }

  /** Returns the body limit of an unsigned wire value; past {@code Long.MAX_VALUE} is no limit. */
  private static long maxRequestBodyBytes(long unsigned) {
    return unsigned < 0 ? 0 : unsigned;
  }

  private static RouteMatch match(dev.gantry.protocol.v1.RouteMatch match) {
    List<RouteMatch.HeaderCondition> headers = new ArrayList<>(match.getHeadersCount());
    for (HeaderMatch h : match.getHeadersList()) {
      ValueMatch value =
          switch (h.getValueCase()) {
            case EXACT -> new ValueMatch.Exact(h.getExact());
            case REGEX -> ValueMatch.Regex.compile(h.getRegex());
            case VALUE_NOT_SET ->
                throw new IllegalArgumentException(
                    "header " + h.getName() + " has no value match (expected: exact or regex)");
          };
      headers.add(
          new RouteMatch.HeaderCondition(
              AsciiString.cached(h.getName().toLowerCase(Locale.ROOT)), value));
    }
    List<RouteMatch.QueryCondition> query = new ArrayList<>(match.getQueryParamsCount());
    for (QueryParamMatch q : match.getQueryParamsList()) {
      ValueMatch value =
          switch (q.getValueCase()) {
            case EXACT -> new ValueMatch.Exact(q.getExact());
            case REGEX -> ValueMatch.Regex.compile(q.getRegex());
            case VALUE_NOT_SET ->
                throw new IllegalArgumentException(
                    "query parameter "
                        + q.getName()
                        + " has no value match (expected: exact or regex)");
          };
      query.add(new RouteMatch.QueryCondition(q.getName(), value));
    }
    return new RouteMatch(pathMatch(match), match.getMethod(), headers, query);
  }

  private static PathMatch pathMatch(dev.gantry.protocol.v1.RouteMatch match) {
    return switch (match.getPathCase()) {
      case EXACT -> new PathMatch.Exact(match.getExact());
      case PREFIX -> new PathMatch.Prefix(match.getPrefix());
      case REGEX -> PathMatch.Regex.compile(match.getRegex());
      case PATH_NOT_SET ->
          throw new IllegalArgumentException("no path match (expected: exact, prefix or regex)");
    };
  }

  /**
   * Returns the timeout of the whole exchange, across retries: the request timeout (0: none).
   * backend_request bounds each attempt instead (see {@link #retry}); with one attempt that is the
   * smaller of the two, as before retries existed.
   */
  private static Duration requestTimeout(dev.gantry.protocol.v1.Timeouts timeouts) {
    return duration(timeouts.getRequest());
  }

  /**
   * Returns the route's retry policy, {@link RetryPolicy#DEFAULT} when it sets none; its per-try
   * timeout is the policy's own, else the route's backend_request timeout.
   */
  private static RetryPolicy retry(dev.gantry.protocol.v1.Route route) {
    Duration backendRequest = duration(route.getTimeouts().getBackendRequest());
    if (!route.hasRetry()) {
      RetryPolicy d = RetryPolicy.DEFAULT;
      return backendRequest.isZero()
          ? d
          : new RetryPolicy(
              d.attempts(), d.on(), d.codes(), d.backoff(), backendRequest, d.nonIdempotent());
    }
    dev.gantry.protocol.v1.RetryPolicy retry = route.getRetry();
    Set<RetryPolicy.Condition> on = EnumSet.noneOf(RetryPolicy.Condition.class);
    for (int i = 0; i < retry.getOnCount(); i++) {
      RetryOn condition = retry.getOn(i);
      on.add(
          switch (condition) {
            case RETRY_ON_CONNECT_FAILURE -> RetryPolicy.Condition.CONNECT_FAILURE;
            case RETRY_ON_RESET -> RetryPolicy.Condition.RESET;
            case RETRY_ON_GATEWAY_ERROR -> RetryPolicy.Condition.GATEWAY_ERROR;
            case RETRY_ON_PER_TRY_TIMEOUT -> RetryPolicy.Condition.PER_TRY_TIMEOUT;
            case RETRY_ON_UNSPECIFIED, UNRECOGNIZED ->
                throw new IllegalArgumentException(
                    "retry.on: "
                        + retry.getOnValue(i)
                        + " (expected: connect failure, reset, gateway error or per-try timeout)");
          });
    }
    Set<Integer> codes = new HashSet<>();
    for (int code : retry.getCodesList()) {
      if (code < 400 || code > 599) {
        throw new IllegalArgumentException(
            "retry.codes: " + Integer.toUnsignedLong(code) + " (expected: 400..599)");
      }
      codes.add(code);
    }
    if (retry.getAttempts() < 0 || retry.getAttempts() > MAX_RETRY_ATTEMPTS) {
      throw new IllegalArgumentException(
          "retry.attempts: "
              + Integer.toUnsignedLong(retry.getAttempts())
              + " (expected: 0.."
              + MAX_RETRY_ATTEMPTS
              + ")");
    }
    return new RetryPolicy(
        retry.getAttempts(),
        on,
        codes,
        duration(retry.getBackoff()),
        retry.hasPerTryTimeout() ? duration(retry.getPerTryTimeout()) : backendRequest,
        retry.getNonIdempotent());
  }

  /** Returns the cluster's limits; none and the default retry budget when it sets none. */
  private static CircuitBreakers circuitBreakers(Cluster cluster) {
    if (!cluster.hasCircuitBreakers()) {
      return CircuitBreakers.NONE;
    }
    dev.gantry.protocol.v1.CircuitBreakers limits = cluster.getCircuitBreakers();
    int budgetPercent = CircuitBreakers.DEFAULT_BUDGET_PERCENT;
    int minRetryConcurrency = CircuitBreakers.DEFAULT_MIN_RETRY_CONCURRENCY;
    try {
      if (limits.hasRetryBudget()) {
        budgetPercent =
            limit("retry_budget.budget_percent", limits.getRetryBudget().getBudgetPercent());
        minRetryConcurrency =
            limit(
                "retry_budget.min_retry_concurrency",
                limits.getRetryBudget().getMinRetryConcurrency());
      }
      return new CircuitBreakers(
          limit("max_connections", limits.getMaxConnections()),
          limit("max_pending_requests", limits.getMaxPendingRequests()),
          limit("max_requests", limits.getMaxRequests()),
          limit("max_retries", limits.getMaxRetries()),
          budgetPercent,
          minRetryConcurrency);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cluster " + cluster.getName() + ": circuit_breakers " + e.getMessage(), e);
    }
  }

  /** Returns an unsigned wire limit as an int; past {@code Integer.MAX_VALUE} is refused. */
  private static int limit(String field, int unsigned) {
    if (unsigned < 0) {
      throw new IllegalArgumentException(
          field
              + ": "
              + Integer.toUnsignedLong(unsigned)
              + " (expected: <= "
              + Integer.MAX_VALUE
              + ")");
    }
    return unsigned;
  }

  private static RouteAction action(
      dev.gantry.protocol.v1.Route route, PathMatch path, Map<String, UpstreamCluster> clusters) {
    return switch (route.getActionCase()) {
      case REDIRECT -> FilterBuilder.redirect(route.getRedirect(), path);
      case FORWARD -> forward(route, path, clusters);
      case DIRECT_RESPONSE ->
          new RouteAction.Respond(
              route.getDirectResponse().getStatus(),
              route.getDirectResponse().getBody().toByteArray(),
              route.getDirectResponse().getContentType());
      case ACTION_NOT_SET ->
          throw new IllegalArgumentException(
              "no action (expected: forward, direct_response or redirect)");
    };
  }

  private static Function<List<Endpoint>, LoadBalancer> balancer(LbPolicy policy) {
    return switch (policy) {
      case LB_POLICY_ROUND_ROBIN -> LoadBalancer::roundRobin;
      case LB_POLICY_RANDOM -> LoadBalancer::random;
      case LB_POLICY_LEAST_REQUEST -> LoadBalancer::leastRequest;
      case LB_POLICY_RING_HASH -> LoadBalancer::ringHash;
      case LB_POLICY_MAGLEV -> LoadBalancer::maglev;
      case UNRECOGNIZED -> throw new IllegalArgumentException("unknown lb_policy " + policy);
    };
  }

  private static Optional<HealthCheckPolicy> healthCheck(Cluster cluster) {
    if (!cluster.hasHealthCheck()) {
      return Optional.empty();
    }
    HealthCheck check = cluster.getHealthCheck();
    boolean defaultStatuses =
        check.getExpectedStatusMin() == 0 && check.getExpectedStatusMax() == 0;
    try {
      return Optional.of(
          new HealthCheckPolicy(
              check.getPath(),
              duration(check.getInterval()),
              duration(check.getTimeout()),
              check.getHealthyThreshold(),
              check.getUnhealthyThreshold(),
              check.getHost(),
              defaultStatuses ? HealthCheckPolicy.DEFAULT_STATUS_MIN : check.getExpectedStatusMin(),
              defaultStatuses
                  ? HealthCheckPolicy.DEFAULT_STATUS_MAX
                  : check.getExpectedStatusMax()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cluster " + cluster.getName() + ": health_check " + e.getMessage(), e);
    }
  }

  private static OutlierPolicy outlier(Cluster cluster) {
    if (!cluster.hasOutlierDetection()) {
      return OutlierPolicy.DEFAULT;
    }
    OutlierDetection od = cluster.getOutlierDetection();
    try {
      return new OutlierPolicy(
          od.getConsecutiveGatewayErrors(),
          od.getConsecutive5Xx(),
          duration(od.getBaseEjectionTime()),
          duration(od.getMaxEjectionTime()),
          od.getMaxEjectionPercent());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cluster " + cluster.getName() + ": outlier_detection " + e.getMessage(), e);
    }
  }

  private static RequestHash hash(dev.gantry.protocol.v1.Route route) {
    if (route.getHashPolicyCount() == 0) {
      return RequestHash.NONE;
    }
    List<RequestHash.Source> sources = new ArrayList<>();
    for (HashPolicy policy : route.getHashPolicyList()) {
      sources.add(
          switch (policy.getKindCase()) {
            case HEADER -> new RequestHash.Header(policy.getHeader());
            case COOKIE -> new RequestHash.Cookie(policy.getCookie());
            case SOURCE_IP -> new RequestHash.SourceIp();
            case KIND_NOT_SET -> throw new IllegalArgumentException("a hash_policy without a kind");
          });
    }
    return new RequestHash(sources);
  }

  private static RouteAction forward(
      dev.gantry.protocol.v1.Route route, PathMatch path, Map<String, UpstreamCluster> clusters) {
    ForwardAction forward = route.getForward();
    List<UpstreamCluster> targets = new ArrayList<>(forward.getClustersCount());
    List<Integer> weights = new ArrayList<>(forward.getClustersCount());
    for (WeightedCluster weighted : forward.getClustersList()) {
      UpstreamCluster target = clusters.get(weighted.getCluster());
      if (target == null) {
        throw new IllegalArgumentException("forwards to unknown cluster " + weighted.getCluster());
      }
      targets.add(target);
      weights.add((int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(weighted.getWeight())));
    }
    StickySession session = null;
    if (route.hasSessionPersistence()) {
      SessionPersistence sp = route.getSessionPersistence();
      session =
          new StickySession(
              sp.getCookieName(),
              duration(sp.getAbsoluteTimeout()),
              sp.getPermanent(),
              path instanceof PathMatch.Prefix prefix ? prefix.prefix() : "/",
              targets);
    }
    return new RouteAction.Forward(WeightedChoice.of(targets, weights), hash(route), session);
  }

  /**
   * Returns the endpoint: a literal address as is, a DNS name unresolved (the pool resolves it per
   * connection, without blocking). Never looks a name up here. Endpoint weight 0 (unset) counts as
   * 1.
   */
  private static Endpoint endpoint(String cluster, dev.gantry.protocol.v1.Endpoint endpoint) {
    String address = endpoint.getAddress();
    if (!Endpoint.isValidHost(address)) {
      throw new IllegalArgumentException(
          "cluster "
              + cluster
              + ": endpoint address \""
              + address
              + "\" (expected: a literal IPv4 or IPv6 address or a DNS name)");
    }
    int port = endpoint.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "cluster "
              + cluster
              + ": endpoint "
              + address
              + " port "
              + Integer.toUnsignedLong(port)
              + " (expected: 1..65535)");
    }
    int weight =
        (int)
            Math.min(Integer.MAX_VALUE, Math.max(1, Integer.toUnsignedLong(endpoint.getWeight())));
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(address);
    if (literal == null) {
      return new Endpoint(InetSocketAddress.createUnresolved(address, port), weight);
    }
    try {
      return new Endpoint(new InetSocketAddress(InetAddress.getByAddress(literal), port), weight);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "cluster " + cluster + ": endpoint address \"" + address + "\"", e);
    }
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /**
   * Returns how the cluster's endpoints are reached, building its TLS client context when it has
   * one.
   *
   * @throws IllegalArgumentException when its CA bundle or client certificate does not parse
   */
  private static UpstreamTransport transport(
      Cluster cluster,
      Map<String, TlsCertificate> certificates,
      Map<String, dev.gantry.dataplane.upstream.UpstreamTls> built) {
    UpstreamProtocol protocol = protocol(cluster.getProtocol());
    if (!cluster.hasTls()) {
      return UpstreamTransport.cleartext(protocol);
    }
    UpstreamTls tls = cluster.getTls();
    TlsCertificate client =
        tls.getClientCertificate().isEmpty()
            ? TlsCertificate.getDefaultInstance()
            : certificates.get(tls.getClientCertificate()); // present: checked by the validator
    return new UpstreamTransport(
        protocol,
        Optional.of(
            dev.gantry.dataplane.upstream.UpstreamTls.reuseOrBuild(
                built,
                tls.getServerName(),
                tls.getCaBundle().toByteArray(),
                tls.getInsecureSkipVerify(),
                client.getCertificateChain().toByteArray(),
                client.getPrivateKey().toByteArray(),
                protocol)));
  }

  private static UpstreamProtocol protocol(dev.gantry.protocol.v1.UpstreamProtocol protocol) {
    return switch (protocol) {
      case UPSTREAM_PROTOCOL_HTTP1 -> UpstreamProtocol.HTTP1;
      case UPSTREAM_PROTOCOL_H2C -> UpstreamProtocol.H2C;
      case UNRECOGNIZED -> throw new IllegalArgumentException("protocol: " + protocol);
    };
  }
}
