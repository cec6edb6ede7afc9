package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.CircuitBreaker;
import dev.gantry.crds.v1alpha1.Cors;
import dev.gantry.crds.v1alpha1.HashSource;
import dev.gantry.crds.v1alpha1.LoadBalancer;
import dev.gantry.crds.v1alpha1.Retry;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.operator.ir.CircuitBreakers;
import dev.gantry.operator.ir.ClusterPolicy;
import dev.gantry.operator.ir.CorsPolicy;
import dev.gantry.operator.ir.LbPolicy;
import dev.gantry.operator.ir.RateLimit;
import dev.gantry.operator.ir.RetryPolicy;
import dev.gantry.operator.ir.RoutePolicy;
import dev.gantry.operator.ir.SourceRanges;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A rule's balancing, endpoint health, body-limit, retry and circuit-breaker settings: checked
 * ({@link #validate}) and turned into the intermediate model. Pure.
 */
final class RulePolicies {
  // RFC 9110 token: header and cookie names.
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern ORIGIN = Pattern.compile("\\*|https?://[^/\\s]+");

  // As the dataplane: more retries only multiply load on a failing backend.
  private static final int MAX_ATTEMPTS = 10;
  private static final int DEFAULT_BUDGET_PERCENT = 20;
  private static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

  private RulePolicies() {}

  /**
   * Returns what is wrong with the rule's loadBalancer, retry, circuitBreaker, healthCheck,
   * outlierDetection, sessionPersistence or requestBodyLimit, if anything.
   */
  static Optional<String> validate(Rule rule) {
    LoadBalancer lb = rule.loadBalancer();
    if (lb != null) {
      boolean hashing = isHashing(lb);
      if (!lb.hashOnOrEmpty().isEmpty() && !hashing) {
        return Optional.of(
            ".loadBalancer.hashOn: applies to the RingHash and Maglev policies only");
      }
      List<HashSource> sources = lb.hashOnOrEmpty();
      for (int i = 0; i < sources.size(); i++) {
        HashSource s = sources.get(i);
        int set =
            (s.header() != null ? 1 : 0)
                + (s.cookie() != null ? 1 : 0)
                + (Boolean.TRUE.equals(s.sourceIP()) ? 1 : 0);
        String where = ".loadBalancer.hashOn[" + i + "]";
        if (set != 1) {
          return Optional.of(where + ": sets exactly one of header, cookie and sourceIP: true");
        }
        String name = s.header() != null ? s.header() : s.cookie();
        if (name != null && !TOKEN.matcher(name).matches()) {
          return Optional.of(where + ": \"" + name + "\" is not a header or cookie name");
        }
      }
    }
    Optional<String> resilience = validateResilience(rule);
    if (resilience.isPresent()) {
      return resilience;
    }
    Optional<String> health = HealthPolicies.validate(rule);
    if (health.isPresent()) {
      return health;
    }
    if (rule.requestBodyLimit() != null) {
      Optional<Long> bytes = bytesOf(rule.requestBodyLimit());
      if (bytes.isEmpty() || bytes.get() <= 0) {
        return Optional.of(
            ".requestBodyLimit: \""
                + rule.requestBodyLimit()
                + "\" is not a positive size (expected e.g. 10Mi or 500k)");
      }
    }
    return rule.cors() == null ? Optional.empty() : validateCors(rule.cors());
  }

  /** The API server checks these too; standalone mode reads YAML it never saw. */
  private static Optional<String> validateCors(Cors cors) {
    if (cors.allowOrigins() == null || cors.allowOrigins().isEmpty()) {
      return Optional.of(".cors.allowOrigins: none (expected: origins, or '*')");
    }
    for (String origin : cors.allowOrigins()) {
      if (!ORIGIN.matcher(origin).matches()) {
        return Optional.of(
            ".cors.allowOrigins: \""
                + origin
                + "\" (expected: scheme://host[:port], e.g. https://app.example.com, or '*')");
      }
    }
    if (Boolean.TRUE.equals(cors.allowCredentials()) && cors.allowOrigins().contains("*")) {
      return Optional.of(
          ".cors.allowCredentials: needs the origins listed, not '*' (every site could read its"
              + " users' responses)");
    }
    if (cors.maxAge() != null && GatewayDuration.parse(cors.maxAge()).isEmpty()) {
      return Optional.of(
          ".cors.maxAge: \"" + cors.maxAge() + "\" is not a duration (expected e.g. 10m)");
    }
    return Optional.empty();
  }

  /** Returns the policy for the endpoints of the rule's backends. */
  static ClusterPolicy clusterPolicy(Rule rule) {
    return new ClusterPolicy(
        lbPolicy(rule),
        circuitBreakers(rule.circuitBreaker()),
        HealthPolicies.healthCheckOf(rule),
        HealthPolicies.outlierDetectionOf(rule),
        rule.timeouts() == null || rule.timeouts().connect() == null
            ? Optional.empty()
            : GatewayDuration.parse(rule.timeouts().connect()));
  }

  /** Returns the rule's circuit breakers; none when it sets none. */
  private static CircuitBreakers circuitBreakers(CircuitBreaker cb) {
    if (cb == null) {
      return CircuitBreakers.NONE;
    }
    CircuitBreaker.RetryBudget budget = cb.retryBudget();
    return new CircuitBreakers(
        orZero(cb.maxConnections()),
        orZero(cb.maxPendingRequests()),
        orZero(cb.maxRequests()),
        orZero(cb.maxRetries()),
        budget == null ? -1 : Objects.requireNonNullElse(budget.percent(), DEFAULT_BUDGET_PERCENT),
        budget == null
            ? -1
            : Objects.requireNonNullElse(
                budget.minRetryConcurrency(), DEFAULT_MIN_RETRY_CONCURRENCY));
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  /** Returns the rule's retries, empty when it sets none; the rule passed {@link #validate}. */
  private static Optional<RetryPolicy> retry(Rule rule) {
    Retry retry = rule.retry();
    if (retry == null) {
      return Optional.empty();
    }
    List<RetryPolicy.Condition> on =
        retry.on() == null
            ? List.of(RetryPolicy.Condition.CONNECT_FAILURE)
            : retry.on().stream()
                .map(
                    c ->
                        switch (c) {
                          case ConnectFailure -> RetryPolicy.Condition.CONNECT_FAILURE;
                          case Reset -> RetryPolicy.Condition.RESET;
                          case GatewayError -> RetryPolicy.Condition.GATEWAY_ERROR;
                          case PerTryTimeout -> RetryPolicy.Condition.PER_TRY_TIMEOUT;
                        })
                .toList();
    return Optional.of(
        new RetryPolicy(
            Objects.requireNonNullElse(retry.attempts(), 1),
            on,
            retry.codes() == null ? List.of() : retry.codes(),
            duration(retry.backoff()),
            duration(retry.perTryTimeout()),
            Boolean.TRUE.equals(retry.nonIdempotent())));
  }

  private static Duration duration(String text) {
    return text == null ? Duration.ZERO : GatewayDuration.parse(text).orElseThrow();
  }

  /** Returns what is wrong with the rule's retry or circuitBreaker, if anything. */
  private static Optional<String> validateResilience(Rule rule) {
    Retry retry = rule.retry();
    if (retry != null) {
      if (retry.attempts() != null && (retry.attempts() < 0 || retry.attempts() > MAX_ATTEMPTS)) {
        return Optional.of(
            ".retry.attempts: " + retry.attempts() + " (expected: 0.." + MAX_ATTEMPTS + ")");
      }
      for (Integer code : retry.codes() == null ? List.<Integer>of() : retry.codes()) {
        if (code == null || code < 400 || code > 599) {
          return Optional.of(".retry.codes: " + code + " (expected: an HTTP status, 400..599)");
        }
      }
      for (String[] d :
          new String[][] {{"backoff", retry.backoff()}, {"perTryTimeout", retry.perTryTimeout()}}) {
        if (d[1] != null && GatewayDuration.parse(d[1]).isEmpty()) {
          return Optional.of(
              ".retry." + d[0] + ": \"" + d[1] + "\" is not a duration (expected e.g. 250ms, 2s)");
        }
      }
      Duration perTry = duration(retry.perTryTimeout());
      if (rule.timeouts() != null
          && rule.timeouts().request() != null
          && GatewayDuration.parse(rule.timeouts().request()).isPresent()) {
        Duration request = GatewayDuration.parse(rule.timeouts().request()).get();
        if (!request.isZero() && perTry.compareTo(request) > 0) {
          return Optional.of(
              ".retry.perTryTimeout: "
                  + retry.perTryTimeout()
                  + " is longer than timeouts.request "
                  + rule.timeouts().request()
                  + " (expected: at most request)");
        }
      }
    }
    CircuitBreaker cb = rule.circuitBreaker();
    if (cb != null) {
      String[] names = {"maxConnections", "maxPendingRequests", "maxRequests", "maxRetries"};
      Integer[] values = {
        cb.maxConnections(), cb.maxPendingRequests(), cb.maxRequests(), cb.maxRetries()
      };
      for (int i = 0; i < names.length; i++) {
        if (values[i] != null && values[i] < 1) {
          return Optional.of(
              ".circuitBreaker." + names[i] + ": " + values[i] + " (expected: >= 1, or absent)");
        }
      }
      CircuitBreaker.RetryBudget budget = cb.retryBudget();
      if (budget != null) {
        if (budget.percent() != null && (budget.percent() < 0 || budget.percent() > 100)) {
          return Optional.of(
              ".circuitBreaker.retryBudget.percent: " + budget.percent() + " (expected: 0..100)");
        }
        if (budget.minRetryConcurrency() != null && budget.minRetryConcurrency() < 0) {
          return Optional.of(
              ".circuitBreaker.retryBudget.minRetryConcurrency: "
                  + budget.minRetryConcurrency()
                  + " (expected: >= 0)");
        }
      }
    }
    return Optional.empty();
  }

  /** Returns the rule's balancing policy; round robin when it names none. */
  private static LbPolicy lbPolicy(Rule rule) {
    if (rule.loadBalancer() == null) {
      return LbPolicy.ROUND_ROBIN;
    }
    return switch (rule.loadBalancer().policyOrDefault()) {
      case RoundRobin -> LbPolicy.ROUND_ROBIN;
      case Random -> LbPolicy.RANDOM;
      case LeastRequest -> LbPolicy.LEAST_REQUEST;
      case RingHash -> LbPolicy.RING_HASH;
      case Maglev -> LbPolicy.MAGLEV;
    };
  }

  /** Returns the rule's route policy; the rule must have passed {@link #validate}. */
  static RoutePolicy routePolicy(Rule rule) {
    List<RoutePolicy.HashSource> hashOn = new ArrayList<>();
    if (rule.loadBalancer() != null) {
      for (HashSource s : rule.loadBalancer().hashOnOrEmpty()) {
        hashOn.add(
            s.header() != null
                ? new RoutePolicy.HashSource.Header(s.header())
                : s.cookie() != null
                    ? new RoutePolicy.HashSource.Cookie(s.cookie())
                    : new RoutePolicy.HashSource.SourceIp());
      }
    }
    long limit = rule.requestBodyLimit() == null ? 0 : bytesOf(rule.requestBodyLimit()).orElse(0L);
    Optional<RetryPolicy> retry = retry(rule);
    RoutePolicy policy =
        new RoutePolicy(
            hashOn,
            limit,
            retry,
            HealthPolicies.sessionOf(rule),
            Optional.ofNullable(rule.cors()).map(RulePolicies::cors),
            !Boolean.FALSE.equals(rule.grpcWeb()),
            !Boolean.FALSE.equals(rule.websocket()),
            Optional.ofNullable(rule.sourceRanges()).map(RulePolicies::sources),
            Optional.ofNullable(rule.rateLimit()).map(RulePolicies::rateLimit));
    return policy.equals(RoutePolicy.NONE) ? RoutePolicy.NONE : policy;
  }

  /** The rule's rate limit; the schema has checked its fields (the compiler their sense). */
  private static RateLimit rateLimit(dev.gantry.crds.v1alpha1.RateLimit limit) {
    return new RateLimit(
        limit.requests(),
        limit.per() == null
            ? Duration.ofSeconds(1)
            : GatewayDuration.parse(limit.per()).orElseThrow(),
        limit.burst() == null ? 0 : limit.burst(),
        limit.key() == dev.gantry.crds.v1alpha1.RateLimit.RateLimitKey.ClientIP);
  }

  /** The rule's source ranges, normalised; the validator has checked that each is one. */
  private static SourceRanges sources(dev.gantry.crds.v1alpha1.SourceRanges ranges) {
    return new SourceRanges(
        ranges.allowOrEmpty().stream().map(r -> AddressRange.normalize(r).orElseThrow()).toList(),
        ranges.denyOrEmpty().stream().map(r -> AddressRange.normalize(r).orElseThrow()).toList());
  }

  private static CorsPolicy cors(Cors cors) {
    return new CorsPolicy(
        lowerCase(cors.allowOrigins()),
        cors.allowMethods() == null ? List.of() : cors.allowMethods(),
        lowerCase(cors.allowHeaders()),
        lowerCase(cors.exposeHeaders()),
        cors.maxAge() == null ? Duration.ZERO : GatewayDuration.parse(cors.maxAge()).orElseThrow(),
        Boolean.TRUE.equals(cors.allowCredentials()));
  }

  private static List<String> lowerCase(List<String> values) {
    return values == null
        ? List.of()
        : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).distinct().toList();
  }

  private static boolean isHashing(LoadBalancer lb) {
    return switch (lb.policyOrDefault()) {
      case RingHash, Maglev -> true;
      default -> false;
    };
  }

  private static Optional<Long> bytesOf(Quantity quantity) {
    try {
      BigDecimal bytes = Quantity.getAmountInBytes(quantity);
      return Optional.of(bytes.longValueExact());
    } catch (ArithmeticException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
