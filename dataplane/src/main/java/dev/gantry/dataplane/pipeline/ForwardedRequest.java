package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.observe.AccessLogHandler;
import dev.gantry.dataplane.observe.Exchange;
import dev.gantry.dataplane.routing.HeaderEdits;
import dev.gantry.dataplane.routing.RetryPolicy;
import dev.gantry.dataplane.routing.Route;
import dev.gantry.dataplane.routing.UpstreamCluster;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import dev.gantry.dataplane.upstream.UpstreamException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one request to a cluster, in one or more {@link UpstreamExchange attempts}: admits it
 * under the cluster's circuit breakers, runs the route's request timeout over all attempts, and
 * decides after each failed attempt (or retriable response head) whether to try again, on another
 * endpoint when the cluster has one, after the policy's backoff.
 *
 * <p>A retry needs the request body again, so the body chunks sent upstream are retained (shared,
 * not copied) until the response head arrives, up to {@link #MAX_REPLAY_BYTES}; past that the
 * request is no longer retried and the chunks are let go. Nothing is retried once response bytes
 * went to the client.
 *
 * <pre>
 *   start ─▶ attempt ─▶ response head ─▶ (retriable status?) ─┬─ no ─▶ stream to client, end
 *              ▲            │ failure                        │ yes
 *              │            ▼                                ▼
 *              └── backoff ◀── retry allowed? (attempts, condition, method, body held,
 *                                   │ no        retry budget, max retries: else 503)
 *                                   ▼
 *                     502/504 to the client (or the upstream's own response)
 * </pre>
 *
 * <p>Confined to the client channel's event loop. Ends exactly once; from then on the cluster's
 * counters no longer include it.
 */
final class ForwardedRequest {

  /** The most request body held for a replay; a longer body makes its request not retriable. */
  static final int MAX_REPLAY_BYTES = 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ForwardedRequest.class);

  private final Downstream downstream;
  private final ChannelHandlerContext ctx;
  private final ProxyMetrics metrics;
  private final UpstreamConnector upstreams;
  private final Route route;
  private final UpstreamCluster cluster;
  private final ClusterLoad load;
  private final RetryPolicy policy;
  private final HttpRequest request;
  private final HttpVersion clientVersion;
  private final boolean idempotent;

  /** Mirrors still waiting for the streaming body; each gets every chunk (shared, not copied). */
  private final List<MirrorExchange> mirrors;

  // The client sent no Host (HTTP/1.0): each attempt's request names its own endpoint instead.
  private final boolean hostFromEndpoint;
  private final HeaderEdits responseHeaders;
  private final Duration timeout;

  /** The Set-Cookie value pinning the client to an endpoint; null when none is issued. */
  private final Function<Endpoint, String> sessionCookie;

  /** Duplicates of the body chunks sent so far, while a retry may still need them. */
  private final ArrayDeque<HttpContent> retained = new ArrayDeque<>(2);

  private int retainedBytes;
  private boolean replayable;
  private UpstreamExchange attempt;
  private Endpoint lastEndpoint;
  private int retries;
  private boolean holdsRetry;
  private boolean headersSent;
  private boolean ended;
  private ScheduledFuture<?> requestTimer;
  private ScheduledFuture<?> backoffTimer;

  ForwardedRequest(
      Downstream downstream,
      ChannelHandlerContext ctx,
      ProxyMetrics metrics,
      UpstreamConnector upstreams,
      Route route,
      UpstreamCluster cluster,
      ClusterLoad load,
      HttpRequest upstreamRequest,
      HttpMethod method,
      HttpVersion clientVersion,
      Function<Endpoint, String> sessionCookie,
      List<MirrorExchange> mirrors,
      boolean hostFromEndpoint,
      HeaderEdits responseHeaders,
      Duration timeout) {
    this.sessionCookie = sessionCookie;
    this.hostFromEndpoint = hostFromEndpoint;
    this.responseHeaders = responseHeaders;
    this.timeout = timeout;
    this.mirrors = mirrors;
    this.downstream = downstream;
    this.ctx = ctx;
    this.metrics = metrics;
    this.upstreams = upstreams;
    this.route = route;
    this.cluster = cluster;
    this.load = load;
    this.policy = route.retry();
    this.request = upstreamRequest;
    this.clientVersion = clientVersion;
    this.idempotent = isIdempotent(method);
    this.replayable = policy.attempts() > 0;
  }

  /**
   * Starts the first attempt, at {@code endpoint}; or, over the cluster's max requests, answers 503
   * and ends at once. Takes ownership of {@code body} (the whole body, or null while it streams).
   */
  void start(Endpoint endpoint, LastHttpContent body) {
    if (!load.tryStartRequest()) {
      ended = true;
      mirrors.forEach(MirrorExchange::mainEnded);
      if (body != null) {
        body.release();
      }
      overloaded(Overload.MAX_REQUESTS);
      return;
    }
    if (!timeout.isZero()) {
      requestTimer =
          ctx.executor().schedule(this::onRequestTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    startAttempt(endpoint);
    if (body != null) {
      sendRequestContent(body);
    }
  }

  /** Returns whether request body chunks still go upstream (false once the request ended). */
  boolean acceptsRequestBody() {
    return !ended;
  }

  /** Returns whether response headers were already sent to the client. */
  boolean responseStarted() {
    return headersSent;
  }

  /** Sends one request body chunk upstream, keeping a duplicate for replays; takes ownership. */
  void sendRequestContent(HttpContent content) {
    if (ended) {
      content.release();
      return;
    }
    for (int i = 0; i < mirrors.size(); i++) {
      mirrors.get(i).offer(content.retainedDuplicate());
    }
    if (replayable) {
      int size = content.content().readableBytes();
      // Between attempts (backoff) at most one chunk is read: it is kept even past the bound.
      if (retainedBytes + size <= MAX_REPLAY_BYTES || attempt == null) {
        retained.add(content.retainedDuplicate());
        retainedBytes += size;
      } else {
        stopRetaining();
      }
    }
    if (attempt != null) {
      attempt.sendRequestContent(content);
    } else {
      content.release();
    }
  }

  /** Resumes reading the upstream once the client can take more. */
  void onDownstreamWritable() {
    if (attempt != null) {
      attempt.onDownstreamWritable();
    }
  }

  /** Ends the request because the client went away; the attempt's connection is closed. */
  void abort() {
    if (attempt != null) {
      attempt.abort();
      attempt = null;
    }
    end();
  }

  // ---- called by the current attempt

  /** Asks the client for more body on behalf of {@code from}, if it is the current attempt. */
  void requestBodyWanted(UpstreamExchange from) {
    if (from == attempt && !ended) {
      downstream.requestBodyWanted();
    }
  }

  /**
   * Decides on a response head of status {@code status} from {@code from}: returns true when the
   * request is retried (or answered 503 over max retries) instead, after aborting {@code from}.
   */
  boolean retriesResponse(UpstreamExchange from, int status) {
    if (status < 400 || !policy.retriesStatus(status) || !mayRetry(true)) {
      return false;
    }
    ClusterLoad.RetryAdmission admission = admitRetry();
    if (admission == ClusterLoad.RetryAdmission.OVER_BUDGET) {
      return false; // the upstream's own response goes to the client
    }
    from.abort();
    attempt = null;
    if (admission == ClusterLoad.RetryAdmission.OVER_MAX_RETRIES) {
      overloadedAfterAttempt(Overload.MAX_RETRIES);
    } else {
      retry(Integer.toString(status));
    }
    return true;
  }

  /** Notes that the response head went to the client: from now on nothing is retried. */
  void responseHeadSent() {
    headersSent = true;
    stopRetaining();
  }

  /** Handles the failure of {@code from}, which already closed its connection. */
  void attemptFailed(UpstreamExchange from, UpstreamException failure, boolean responseStarted) {
    if (from != attempt || ended) {
      return;
    }
    attempt = null;
    if (responseStarted) {
      end();
      downstream.abortResponse();
      return;
    }
    RetryPolicy.Condition condition = conditionOf(failure.kind());
    if (condition != null
        && policy.retriesOn(condition)
        && mayRetry(condition != RetryPolicy.Condition.CONNECT_FAILURE)) {
      ClusterLoad.RetryAdmission admission = admitRetry();
      if (admission == ClusterLoad.RetryAdmission.ADMITTED) {
        retry(condition.name().toLowerCase(java.util.Locale.ROOT));
        return;
      }
      if (admission == ClusterLoad.RetryAdmission.OVER_MAX_RETRIES) {
        overloadedAfterAttempt(Overload.MAX_RETRIES);
        return;
      }
    }
    end();
    downstream.respondLocally(LocalResponses.upstreamFailure(failure.kind()));
  }

  /** Notes that the current attempt received the whole response. */
  void attemptCompleted() {
    attempt = null;
    end();
    downstream.requestBodyWanted(); // drains what the upstream no longer wants, if anything
  }

  /** Passes on whether the end of the response reached the client. */
  void responseFinished(boolean written) {
    downstream.responseFinished(written);
  }

  // ---- retries

  /**
   * Returns whether the request may be tried again: attempts left, body held, and, when the request
   * reached the upstream, an idempotent method (or a policy that allows others).
   */
  private boolean mayRetry(boolean reachedUpstream) {
    return !ended
        && !headersSent
        && retries < policy.attempts()
        && replayable
        && (!reachedUpstream || idempotent || policy.nonIdempotent());
  }

  /**
   * Holds a retry of the cluster's budget for this request (one, however many retries it makes).
   */
  private ClusterLoad.RetryAdmission admitRetry() {
    if (holdsRetry) {
      return ClusterLoad.RetryAdmission.ADMITTED;
    }
    ClusterLoad.RetryAdmission admission = load.tryStartRetry();
    switch (admission) {
      case ADMITTED -> holdsRetry = true;
      case OVER_BUDGET -> {
        metrics.retryBudgetExhausted(cluster.name());
        log.debug("cluster {}: retry budget spent; not retrying", cluster.name());
      }
      case OVER_MAX_RETRIES -> metrics.circuitBreakerTripped(cluster.name(), Overload.MAX_RETRIES);
    }
    return admission;
  }

  /** Tries again after the backoff; the previous attempt has ended. */
  private void retry(String reason) {
    retries++;
    metrics.retried(cluster.name(), reason);
    Duration backoff = policy.backoff(retries);
    if (backoff.isZero()) {
      startAttempt(nextEndpoint());
      return;
    }
    // Full jitter over the upper half, so that retries of many requests spread out.
    long nanos =
        backoff.toNanos() / 2 + ThreadLocalRandom.current().nextLong(backoff.toNanos() / 2 + 1);
    backoffTimer =
        ctx.executor()
            .schedule(
                () -> {
                  backoffTimer = null;
                  if (!ended) {
                    startAttempt(nextEndpoint());
                  }
                },
                nanos,
                TimeUnit.NANOSECONDS);
  }

  private void startAttempt(Endpoint endpoint) {
    if (lastEndpoint != null) {
      // A retry: the access log names the endpoint that served (or failed last), not the first.
      Exchange logged = AccessLogHandler.exchange(ctx.channel());
      if (logged != null) {
        logged.forwardedTo(cluster.name(), endpoint.address());
      }
      if (hostFromEndpoint) {
        request
            .headers()
            .set(HttpHeaderNames.HOST, NetUtil.toSocketAddressString(endpoint.address()));
      }
    }
    lastEndpoint = endpoint;
    HeaderEdits responseHeaders = this.responseHeaders;
    if (sessionCookie != null) {
      responseHeaders =
          responseHeaders.adding(HttpHeaderNames.SET_COOKIE, sessionCookie.apply(endpoint));
    }
    UpstreamExchange next =
        new UpstreamExchange(
            this,
            ctx,
            metrics,
            request,
            clientVersion,
            policy.perTryTimeout(),
            responseHeaders,
            cluster.balancer(),
            endpoint,
            load);
    attempt = next;
    // The held body goes first, before the attempt can ask the client for more (a read may hand
    // over a chunk at once, re-entering sendRequestContent).
    for (HttpContent content : retained) {
      next.sendRequestContent(content.retainedDuplicate());
    }
    if (!next.start(upstreams, cluster.connectTimeout(), cluster.transport())) {
      attempt = null;
      metrics.circuitBreakerTripped(cluster.name(), Overload.MAX_PENDING_REQUESTS);
      overloadedAfterAttempt(Overload.MAX_PENDING_REQUESTS);
    }
  }

  /** Returns an endpoint other than the last attempt's when the cluster has one. */
  private Endpoint nextEndpoint() {
    Endpoint previous = lastEndpoint;
    Endpoint next = cluster.balancer().pick();
    for (int i = 0; i < 3 && next != null && next.equals(previous); i++) {
      next = cluster.balancer().pick();
    }
    return next == null ? previous : next;
  }

  private void stopRetaining() {
    replayable = false;
    HttpContent content;
    while ((content = retained.poll()) != null) {
      content.release();
    }
    retainedBytes = 0;
  }

  // ---- ending

  private void onRequestTimeout() {
    requestTimer = null;
    if (ended) {
      return;
    }
    UpstreamException failure =
        new UpstreamException(
            UpstreamException.Kind.TIMEOUT, "no complete response within " + timeout);
    metrics.upstreamError(failure.kind());
    if (attempt != null) {
      attempt.abort();
      attempt = null;
    }
    end();
    if (headersSent) {
      downstream.abortResponse();
    } else {
      downstream.respondLocally(LocalResponses.upstreamFailure(failure.kind()));
    }
  }

  private void overloaded(Overload limit) {
    metrics.circuitBreakerTripped(cluster.name(), limit);
    downstream.respondLocally(LocalResponses.overloaded(limit));
  }

  /** Answers 503 over {@code limit} after an attempt was started (the trip is already counted). */
  private void overloadedAfterAttempt(Overload limit) {
    end();
    downstream.respondLocally(LocalResponses.overloaded(limit));
  }

  /** Ends the request once: cancels timers, lets go of the held body, uncounts it. */
  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (requestTimer != null) {
      requestTimer.cancel(false);
    }
    if (backoffTimer != null) {
      backoffTimer.cancel(false);
    }
    stopRetaining();
    mirrors.forEach(MirrorExchange::mainEnded);
    load.requestEnded();
    if (holdsRetry) {
      load.retryEnded();
    }
  }

  private static RetryPolicy.Condition conditionOf(UpstreamException.Kind kind) {
    return switch (kind) {
      // A refused HTTP/2 stream never reached the upstream's application either.
      // So did a failed TLS handshake (another endpoint may hold a good certificate).
      case CONNECT_REFUSED, CONNECT_TIMEOUT, RESOLVE_FAILED, TLS_HANDSHAKE, REFUSED_STREAM ->
          RetryPolicy.Condition.CONNECT_FAILURE;
      case RESET -> RetryPolicy.Condition.RESET;
      case PER_TRY_TIMEOUT -> RetryPolicy.Condition.PER_TRY_TIMEOUT;
      case PROTOCOL_ERROR, TIMEOUT, CONNECTION_LIMIT -> null;
    };
  }

  /** Returns whether {@code method} is idempotent (RFC 9110 §9.2.2), so safe to send twice. */
  private static boolean isIdempotent(HttpMethod method) {
    return method.equals(HttpMethod.GET)
        || method.equals(HttpMethod.HEAD)
        || method.equals(HttpMethod.OPTIONS)
        || method.equals(HttpMethod.TRACE)
        || method.equals(HttpMethod.PUT)
        || method.equals(HttpMethod.DELETE);
  }
}
