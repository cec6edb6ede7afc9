package dev.gantry.operator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A rule's CORS policy, as the dataplane applies it.
 *
 * @param allowOrigins lower-case origins, or {@code *}
 * @param allowMethods methods a preflight may ask for; empty for any
 * @param allowHeaders lower-case request headers a preflight may ask for; empty for any
 * @param exposeHeaders lower-case response headers scripts may read
 * @param maxAge how long a preflight's answer may be cached; zero for not sent
 * @param allowCredentials whether credentials are allowed
 */
public record CorsPolicy(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    Duration maxAge,
    boolean allowCredentials) {

  public CorsPolicy {
    allowOrigins = List.copyOf(requireNonNull(allowOrigins, "allowOrigins"));
    allowMethods = List.copyOf(requireNonNull(allowMethods, "allowMethods"));
    allowHeaders = List.copyOf(requireNonNull(allowHeaders, "allowHeaders"));
    exposeHeaders = List.copyOf(requireNonNull(exposeHeaders, "exposeHeaders"));
    requireNonNull(maxAge, "maxAge");
  }
}
