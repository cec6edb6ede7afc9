package dev.gantry.dataplane.routing;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A route's CORS policy (the Fetch standard's CORS protocol): which origins may read its responses,
 * and what their preflights may ask for. Answers come as header edits built per request, since they
 * name the request's own origin. Immutable; safe from any thread.
 *
 * @param origins allowed origins, lower case; {@code *} for any
 * @param methods methods a preflight may ask for; empty for the one it asks for
 * @param headers request headers a preflight may ask for, lower case; empty for those it asks for
 * @param exposeHeaders response headers scripts may read, joined for the header; {@code ""} none
 * @param maxAge how long a preflight's answer may be cached; zero for no Access-Control-Max-Age
 * @param credentials whether Access-Control-Allow-Credentials: true is sent
 */
public record CorsPolicy(
    Set<String> origins,
    List<String> methods,
    Set<String> headers,
    String exposeHeaders,
    Duration maxAge,
    boolean credentials) {

  public CorsPolicy {
    origins = Set.copyOf(requireNonNull(origins, "origins"));
    methods = List.copyOf(requireNonNull(methods, "methods"));
    headers = Set.copyOf(requireNonNull(headers, "headers"));
    requireNonNull(exposeHeaders, "exposeHeaders");
    requireNonNull(maxAge, "maxAge");
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("origins: none (expected: at least one, or *)");
    }
  }

  /** Returns whether {@code origin}, a request's Origin header, may read the route's responses. */
  public boolean allows(String origin) {
    return origins.contains("*") || origins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /** Returns whether {@code method} and {@code headers} are a preflight (RFC: Fetch §3.2.2). */
  public static boolean isPreflight(HttpMethod method, HttpHeaders headers) {
    return HttpMethod.OPTIONS.equals(method)
        && headers.contains(HttpHeaderNames.ORIGIN)
        && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
  }

  /**
   * Returns the headers of the answer to a preflight from {@code origin}, which {@link #allows}; or
   * null when it asks for a method or a header the policy does not allow (the proxy then answers
   * 403).
   */
  public HeaderEdits preflight(String origin, HttpHeaders request) {
    String method = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    if (!methods.isEmpty() && !methods.contains(method)) {
      return null;
    }
    String asked = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    if (asked != null && !headers.isEmpty()) {
      for (String header : asked.split(",")) {
        String name = header.strip().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !headers.contains(name)) {
          return null;
        }
      }
    }
    HeaderEdits edits =
        common(origin)
            .setting(
                HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS,
                methods.isEmpty() ? method : String.join(", ", methods));
    if (asked != null) {
      edits =
          edits.setting(
              HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
              headers.isEmpty() ? asked : String.join(", ", headers.stream().sorted().toList()));
    }
    if (!maxAge.isZero()) {
      edits = edits.setting(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "" + maxAge.toSeconds());
    }
    return edits;
  }

  /** Returns the headers added to the response to a request from {@code origin}, allowed. */
  public HeaderEdits response(String origin) {
    HeaderEdits edits = common(origin);
    return exposeHeaders.isEmpty()
        ? edits
        : edits.setting(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
  }

  private HeaderEdits common(String origin) {
    // "*" cannot carry credentials (browsers refuse it), so those get the origin itself.
    boolean any = origins.contains("*") && !credentials;
    HeaderEdits edits =
        HeaderEdits.NONE.setting(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, any ? "*" : origin);
    if (credentials) {
      edits = edits.setting(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    // The answer depends on Origin: caches must keep one per origin.
    return any ? edits : edits.adding(HttpHeaderNames.VARY, "Origin");
  }
}
