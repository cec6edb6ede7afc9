package dev.gantry.operator.compile.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.operator.compile.Problem;
import dev.gantry.operator.compile.annotation.IngressAnnotations.Protocol;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngressAnnotationsTest {

  private static final String N = "nginx.ingress.kubernetes.io/";
  private static final String G = "gantry.dev/";

  private static IngressAnnotations parse(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return IngressAnnotations.of(map);
  }

  private static List<String> messages(IngressAnnotations a) {
    return a.problems().stream().map(p -> p.reason() + ": " + p.message()).toList();
  }

  @Test
  void noAnnotationsMeanTheDefaultsAndNoProblems() {
    IngressAnnotations a = IngressAnnotations.of(null);

    assertThat(a.problems()).isEmpty();
    assertThat(a.maxBodyBytes()).isEmpty();
    assertThat(a.paths().regex()).isFalse();
    assertThat(a.cors()).isEmpty();
    assertThat(a.access().allowSources()).isEmpty();
  }

  @Test
  void readsAnIngressWrittenForIngressNginx() {
    IngressAnnotations a =
        parse(
            N + "rewrite-target", "/$2",
            N + "proxy-body-size", "8m",
            N + "proxy-connect-timeout", "5",
            N + "proxy-read-timeout", "120",
            N + "force-ssl-redirect", "true",
            N + "backend-protocol", "GRPC",
            N + "affinity", "cookie",
            N + "session-cookie-name", "route",
            N + "session-cookie-max-age", "3600",
            N + "enable-cors", "true",
            N + "cors-allow-origin", "https://app.example.com, https://admin.example.com",
            N + "whitelist-source-range", "10.0.0.0/8, 192.168.1.7, 2001:db8::/32",
            N + "limit-rps", "20",
            N + "auth-type", "basic",
            N + "auth-secret", "basic-users",
            N + "auth-realm", "Staff only",
            N + "upstream-vhost", "internal.example.com",
            N + "server-alias", "www.example.com,shop.example.com");

    assertThat(messages(a)).isEmpty();
    assertThat(a.paths().regex()).as("a rewrite makes the paths patterns").isTrue();
    assertThat(a.paths().rewriteTarget()).contains("/$2");
    assertThat(a.maxBodyBytes()).isEqualTo(OptionalLong.of(8L << 20));
    assertThat(a.timeouts().connect()).contains(Duration.ofSeconds(5));
    assertThat(a.timeouts().read()).contains(Duration.ofSeconds(120));
    assertThat(a.tls().forceRedirect()).isTrue();
    assertThat(a.backend().protocol()).contains(Protocol.H2C);
    assertThat(a.affinity().orElseThrow().cookieName()).isEqualTo("route");
    assertThat(a.affinity().orElseThrow().maxAge()).contains(Duration.ofHours(1));
    assertThat(a.cors().orElseThrow().allowOrigins())
        .containsExactly("https://app.example.com", "https://admin.example.com");
    assertThat(a.cors().orElseThrow().allowCredentials()).as("ingress-nginx's default").isTrue();
    assertThat(a.access().allowSources())
        .containsExactly("10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32");
    assertThat(a.access().rateLimit().orElseThrow().perSecond()).isEqualTo(OptionalInt.of(20));
    assertThat(a.access().rateLimit().orElseThrow().burstMultiplier()).isEqualTo(5);
    assertThat(a.access().basicAuth().orElseThrow().secret()).isEqualTo("basic-users");
    assertThat(a.access().basicAuth().orElseThrow().realm()).isEqualTo("Staff only");
    assertThat(a.backend().hostHeader()).contains("internal.example.com");
    assertThat(a.serverAliases()).containsExactly("www.example.com", "shop.example.com");
  }

  @Test
  void aBadValueIsReportedAndLeftOutWhileTheRestIsRead() {
    IngressAnnotations a =
        parse(
            N + "proxy-body-size",
            "8mb",
            N + "proxy-read-timeout",
            "60",
            N + "ssl-redirect",
            "yes");

    assertThat(a.maxBodyBytes()).isEmpty();
    assertThat(a.tls().redirect()).isEmpty();
    assertThat(a.timeouts().read()).contains(Duration.ofSeconds(60));
    assertThat(messages(a))
        .containsExactlyInAnyOrder(
            "InvalidAnnotation: nginx.ingress.kubernetes.io/proxy-body-size: \"8mb\" (expected: a"
                + " size such as 1024, 512k, 8m or 1g (0: no limit)); it is ignored",
            "InvalidAnnotation: nginx.ingress.kubernetes.io/ssl-redirect: \"yes\" (expected: true"
                + " or false); it is ignored");
  }

  @Test
  void snippetsAreRefusedAndUnknownNginxAnnotationsReported() {
    IngressAnnotations a =
        parse(
            N + "configuration-snippet", "more_set_headers \"X: y\";",
            N + "server-snippet", "location /x { return 200; }",
            N + "mirror-target", "http://shadow",
            G + "no-such-thing", "1");

    assertThat(a.problems())
        .extracting(Problem::reason)
        .containsExactlyInAnyOrder(
            "SnippetRefused", "SnippetRefused", "UnsupportedAnnotation", "InvalidAnnotation");
    assertThat(messages(a))
        .anySatisfy(m -> assertThat(m).contains("configuration-snippet: refused"))
        .anySatisfy(m -> assertThat(m).contains("mirror-target: no Gantry equivalent"))
        .anySatisfy(m -> assertThat(m).contains("gantry.dev/no-such-thing: unknown annotation"));
  }

  @Test
  void aGantryAnnotationWinsOverTheNginxOne() {
    IngressAnnotations a =
        parse(
            G + "max-body-size", "1g",
            N + "proxy-body-size", "1m",
            G + "connect-timeout", "1500ms",
            N + "proxy-connect-timeout", "5",
            G + "rate-limit", "600/m",
            N + "limit-rps", "1");

    assertThat(messages(a)).isEmpty();
    assertThat(a.maxBodyBytes()).isEqualTo(OptionalLong.of(1L << 30));
    assertThat(a.timeouts().connect()).contains(Duration.ofMillis(1500));
    assertThat(a.access().rateLimit().orElseThrow().perMinute()).isEqualTo(OptionalInt.of(600));
    assertThat(a.access().rateLimit().orElseThrow().perSecond()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/8           | 10.0.0.0/8",
        "10.1.2.3             | 10.1.2.3/32",
        "::1                  | ::1/128",
        "2001:db8::/48        | 2001:db8::/48",
        "10.0.0.0/33          | ",
        "256.1.1.1            | ",
        "example.com          | ",
        "10.0.0.0/8/1         | ",
        "2001:db8::g/64       | ",
      })
  void readsAddressesAndRangesStrictly(String item, String expected) {
    assertThat(AnnotationReader.cidr(item)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void aBadRangeDropsTheWholeAllowList() {
    IngressAnnotations a = parse(N + "whitelist-source-range", "10.0.0.0/8, office");

    assertThat(a.access().allowSources()).isEmpty();
    assertThat(messages(a)).singleElement().asString().contains("\"office\"");
  }

  @Test
  void canaryAnnotationsNeedCanaryTrue() {
    assertThat(parse(N + "canary-weight", "10").canary()).isEmpty();
    assertThat(messages(parse(N + "canary-weight", "10")))
        .singleElement()
        .asString()
        .contains("need canary: \"true\"");

    IngressAnnotations a =
        parse(N + "canary", "true", N + "canary-weight", "10", N + "canary-by-header", "x-beta");
    assertThat(a.canary().orElseThrow().weight()).isEqualTo(OptionalInt.of(10));
    assertThat(a.canary().orElseThrow().weightTotal()).isEqualTo(100);
    assertThat(a.canary().orElseThrow().header()).contains("x-beta");
  }

  @Test
  void basicAuthNeedsASecretAndDigestIsNotSupported() {
    assertThat(parse(N + "auth-type", "basic").access().basicAuth()).isEmpty();
    assertThat(messages(parse(N + "auth-type", "basic")))
        .singleElement()
        .asString()
        .contains("auth-type basic needs auth-secret");
    assertThat(messages(parse(N + "auth-type", "digest", N + "auth-secret", "x")))
        .singleElement()
        .asString()
        .startsWith("UnsupportedAnnotation");
  }

  @Test
  void redirectsAndErrorPages() {
    IngressAnnotations a =
        parse(
            N + "permanent-redirect", "https://new.example.com",
            N + "permanent-redirect-code", "308",
            N + "custom-http-errors", "503,404,404",
            N + "default-backend", "error-pages");

    assertThat(messages(a)).isEmpty();
    assertThat(a.redirect().orElseThrow().url()).isEqualTo("https://new.example.com");
    assertThat(a.redirect().orElseThrow().status()).isEqualTo(308);
    assertThat(a.errorPages().orElseThrow().statuses()).containsExactly(404, 503);
    assertThat(a.errorPages().orElseThrow().backend()).contains("error-pages");
  }

  @Test
  void externalAuthTakesHttpUrlsOnly() {
    IngressAnnotations a =
        parse(
            N + "auth-url", "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth",
            N + "auth-signin", "https://auth.example.com/oauth2/start",
            N + "auth-response-headers", "X-Auth-Request-User, X-Auth-Request-Email");

    assertThat(messages(a)).isEmpty();
    assertThat(a.access().externalAuth().orElseThrow().responseHeaders())
        .containsExactly("X-Auth-Request-User", "X-Auth-Request-Email");
    assertThat(parse(N + "auth-url", "file:///etc/passwd").access().externalAuth()).isEmpty();
  }

  @Test
  void retriesAreGantryOnly() {
    IngressAnnotations a = parse(G + "retries", "3", G + "retry-on", "gateway-error,503");

    assertThat(a.retry().orElseThrow().attempts()).isEqualTo(3);
    assertThat(a.retry().orElseThrow().on()).containsExactly("gateway-error", "503");
    assertThat(messages(parse(G + "retries", "2", G + "retry-on", "always")))
        .singleElement()
        .asString()
        .contains("\"always\"");
    assertThat(messages(parse(G + "retry-on", "reset")))
        .singleElement()
        .asString()
        .contains("needs gantry.dev/retries");
  }
}
