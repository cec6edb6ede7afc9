package dev.gantry.operator.compile.annotation;

import static dev.gantry.operator.compile.annotation.AnnotationReader.first;

import dev.gantry.operator.compile.annotation.IngressAnnotations.Access;
import dev.gantry.operator.compile.annotation.IngressAnnotations.BasicAuth;
import dev.gantry.operator.compile.annotation.IngressAnnotations.ExternalAuth;
import dev.gantry.operator.compile.annotation.IngressAnnotations.RateLimit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads who may reach the backends: source ranges, rate limits, basic and external authentication.
 */
final class AccessAnnotations {
  private static final Pattern RATE = Pattern.compile("([0-9]{1,7})/(s|m)");
  private static final String DEFAULT_REALM = "Authentication Required";

  private final AnnotationReader gantry;
  private final AnnotationReader nginx;

  AccessAnnotations(AnnotationReader gantry, AnnotationReader nginx) {
    this.gantry = gantry;
    this.nginx = nginx;
  }

  Access parse() {
    List<String> allow =
        first(
                () -> gantry.cidrs("allow-source"),
                () ->
                    first(
                        () -> nginx.cidrs("allowlist-source-range"),
                        () -> nginx.cidrs("whitelist-source-range")))
            .orElse(List.of());
    List<String> deny =
        first(() -> gantry.cidrs("deny-source"), () -> nginx.cidrs("denylist-source-range"))
            .orElse(List.of());
    return new Access(allow, deny, rateLimit(), basicAuth(), externalAuth());
  }

  private Optional<RateLimit> rateLimit() {
    OptionalInt rps = nginx.integer("limit-rps", 1, 1_000_000);
    OptionalInt rpm = nginx.integer("limit-rpm", 1, 60_000_000);
    Optional<String> rate = gantry.string("rate-limit");
    if (rate.isPresent()) {
      Matcher m = RATE.matcher(rate.get());
      if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
        gantry.invalid(
            "rate-limit", rate.get(), "requests per second or minute, such as 100/s or 600/m");
      } else if (m.group(2).equals("s")) {
        rps = OptionalInt.of(Integer.parseInt(m.group(1)));
        rpm = OptionalInt.empty();
      } else {
        rps = OptionalInt.empty();
        rpm = OptionalInt.of(Integer.parseInt(m.group(1)));
      }
    }
    OptionalInt connections = nginx.integer("limit-connections", 1, 1_000_000);
    OptionalInt gantryBurst = gantry.integer("rate-limit-burst-multiplier", 1, 100);
    OptionalInt nginxBurst = nginx.integer("limit-burst-multiplier", 1, 100);
    List<String> exempt =
        first(() -> nginx.cidrs("limit-allowlist"), () -> nginx.cidrs("limit-whitelist"))
            .orElse(List.of());
    if (rps.isEmpty() && rpm.isEmpty() && connections.isEmpty()) {
      return Optional.empty();
    }
    int burst = gantryBurst.orElse(nginxBurst.orElse(5));
    return Optional.of(new RateLimit(rps, rpm, burst, connections, exempt));
  }

  private Optional<BasicAuth> basicAuth() {
    boolean byGantry = gantry.has("basic-auth-secret");
    Optional<String> secret;
    String realmName;
    AnnotationReader r;
    if (byGantry) {
      r = gantry;
      secret = gantry.objectName("basic-auth-secret", "Secret");
      realmName = "basic-auth-realm";
    } else {
      Optional<String> type = nginx.oneOf("auth-type", "basic", "digest");
      if (type.isEmpty()) {
        return Optional.empty();
      }
      if (type.get().equals("digest")) {
        nginx.problem(
            AnnotationParser.UNSUPPORTED,
            "auth-type",
            "digest authentication is not supported; use basic");
        return Optional.empty();
      }
      if (!nginx.has("auth-secret")) {
        nginx.problem(AnnotationReader.INVALID, "auth-secret", "auth-type basic needs auth-secret");
        return Optional.empty();
      }
      r = nginx;
      secret = nginx.objectName("auth-secret", "Secret");
      realmName = "auth-realm";
    }
    String realm = r.string(realmName).orElse(DEFAULT_REALM);
    if (realm.contains("\"") || realm.chars().anyMatch(c -> c < 0x20)) {
      r.invalid(realmName, realm, "text without quotes or control characters");
      realm = DEFAULT_REALM;
    }
    boolean map =
        nginx
            .oneOf("auth-secret-type", "auth-file", "auth-map")
            .map("auth-map"::equals)
            .orElse(false);
    String chosenRealm = realm;
    return secret.map(s -> new BasicAuth(s, chosenRealm, map));
  }

  private Optional<ExternalAuth> externalAuth() {
    AnnotationReader r = gantry.has("auth-url") ? gantry : nginx;
    Optional<String> url = r.httpUrl("auth-url");
    Optional<String> signIn = r.httpUrl("auth-signin");
    List<String> responseHeaders = r.tokens("auth-response-headers");
    String method = nginx.oneOf("auth-method", "GET", "POST", "HEAD").orElse("GET");
    return url.map(u -> new ExternalAuth(u, method, signIn, responseHeaders));
  }
}
