package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.crds.v1alpha1.Hsts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The global defaults kept in an ingress-nginx ConfigMap that have a Gantry equivalent, for
 * Ingresses migrating as they are: the keys that are also annotations become defaults under each
 * Ingress's own annotations, and the HSTS keys give the TLS hosts of Ingresses their
 * Strict-Transport-Security. Other keys are nginx's own business and ignored.
 *
 * @param annotations {@code nginx.ingress.kubernetes.io/}-prefixed defaults
 * @param hsts the HSTS of Ingresses' TLS hosts, when the ConfigMap turns it on
 */
public record NginxDefaults(
    Map<String, String> annotations, Optional<Hsts> hsts, List<Problem> problems) {
  public static final NginxDefaults NONE = new NginxDefaults(Map.of(), Optional.empty(), List.of());

  /**
   * The ConfigMap keys that mean the same as the annotation of the same name and that Gantry
   * applies (proxy-read/send-timeout, which it does not yet, would put a report on every Ingress).
   */
  private static final Set<String> AS_ANNOTATIONS =
      Set.of(
          "proxy-body-size",
          "proxy-connect-timeout",
          "ssl-redirect",
          "force-ssl-redirect",
          "load-balance",
          "limit-burst-multiplier");

  public NginxDefaults {
    annotations = Map.copyOf(requireNonNull(annotations, "annotations"));
    requireNonNull(hsts, "hsts");
    problems = List.copyOf(requireNonNull(problems, "problems"));
  }

  /** Reads {@code configMap} (named {@code name} in messages). */
  static NginxDefaults of(ConfigMap configMap, String name) {
    Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
    Map<String, String> annotations = new HashMap<>();
    List<Problem> problems = new ArrayList<>();
    data.forEach(
        (key, value) -> {
          if (AS_ANNOTATIONS.contains(key)) {
            annotations.put("nginx.ingress.kubernetes.io/" + key, value);
          }
        });
    if ("true".equals(data.get("use-forwarded-headers"))) {
      problems.add(
          new Problem(
              "NginxDefaultNotApplied",
              "ConfigMap "
                  + name
                  + ": use-forwarded-headers is the dataplane's --trusted-proxies (the addresses"
                  + " of the load balancers in front); it is not read from here"));
    }
    return new NginxDefaults(annotations, hsts(data, name, problems), problems);
  }

  /** ingress-nginx's hsts, hsts-max-age (seconds), hsts-include-subdomains, hsts-preload. */
  private static Optional<Hsts> hsts(
      Map<String, String> data, String name, List<Problem> problems) {
    if (!"true".equals(data.get("hsts"))) {
      return Optional.empty();
    }
    String maxAge = data.getOrDefault("hsts-max-age", "31536000");
    if (!maxAge.matches("[0-9]{1,10}")) {
      problems.add(
          new Problem(
              "NginxDefaultNotApplied",
              "ConfigMap "
                  + name
                  + ": hsts-max-age \""
                  + maxAge
                  + "\" (expected: seconds); no HSTS"));
      return Optional.empty();
    }
    return Optional.of(
        new Hsts(
            maxAge + "s",
            !"false".equals(data.get("hsts-include-subdomains")),
            "true".equals(data.get("hsts-preload"))));
  }

  /** {@code ingress}'s annotations over these defaults. */
  Map<String, String> under(Map<String, String> ingress) {
    if (annotations.isEmpty()) {
      return ingress == null ? Map.of() : ingress;
    }
    Map<String, String> merged = new HashMap<>(annotations);
    if (ingress != null) {
      merged.putAll(ingress);
    }
    return merged;
  }
}
