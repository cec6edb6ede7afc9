package dev.gantry.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.Hsts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NginxDefaultsTest {

  private static NginxDefaults of(Map<String, String> data) {
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("ingress-nginx")
            .withName("controller")
            .endMetadata()
            .withData(data)
            .build();
    return NginxDefaults.of(map, "ingress-nginx/controller");
  }

  @Test
  void keysThatAreAnnotationsBecomeDefaultsUnderTheIngresssOwn() {
    NginxDefaults defaults =
        of(Map.of("proxy-body-size", "1m", "ssl-redirect", "false", "worker-processes", "4"));

    assertThat(defaults.annotations())
        .containsOnly(
            Map.entry("nginx.ingress.kubernetes.io/proxy-body-size", "1m"),
            Map.entry("nginx.ingress.kubernetes.io/ssl-redirect", "false"));
    assertThat(defaults.under(Map.of("nginx.ingress.kubernetes.io/proxy-body-size", "8m")))
        .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "8m")
        .containsEntry("nginx.ingress.kubernetes.io/ssl-redirect", "false");
    assertThat(defaults.problems()).isEmpty();
  }

  @Test
  void hstsIsOnlyWhenTheConfigMapTurnsItOn() {
    assertThat(of(Map.of()).hsts()).isEmpty();
    assertThat(of(Map.of("hsts", "true")).hsts()).contains(new Hsts("31536000s", true, false));
    assertThat(
            of(Map.of(
                    "hsts", "true",
                    "hsts-max-age", "600",
                    "hsts-include-subdomains", "false",
                    "hsts-preload", "true"))
                .hsts())
        .contains(new Hsts("600s", false, true));
    assertThat(of(Map.of("hsts", "true", "hsts-max-age", "a year")).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("hsts-max-age"));
  }

  @Test
  void useForwardedHeadersIsTheDataplanesTrustedProxies() {
    assertThat(of(Map.of("use-forwarded-headers", "true")).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("--trusted-proxies"));
  }
}
