package dev.gantry.e2e.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.ProxyRoutes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checked-in CRD's schema and CEL rules as a real kube-apiserver enforces them: what it accepts
 * of matches, filters and timeouts, and what it refuses at {@code kubectl apply} with which
 * message.
 */
@ExtendWith(KubeApiServerExtension.class)
class ProxyRouteSchemaIT {
  private static KubernetesClient client;
  private static String ns;

  @BeforeAll
  static void start(KubeApiServer api, TestNamespace namespace) {
    client = api.client();
    ns = namespace.name();
    ProxyRoutes.installCrd(client);
  }

  private static GenericKubernetesResource create(String name, String rules) {
    String yaml =
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: %s}
        spec:
          rules:
        %s
        """
            .formatted(name, rules.indent(4));
    GenericKubernetesResource route =
        Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    return client.resource(route).inNamespace(ns).create();
  }

  @Test
  void acceptsEveryMatchKindFilterAndTimeouts() {
    GenericKubernetesResource created =
        create(
            "everything",
            """
            - matches:
                - path: {type: RegularExpression, value: "/users/[0-9]+"}
                  method: GET
                  headers: [{name: X-Canary, value: "true"}, {name: x-t, type: RegularExpression, value: "a.*"}]
                  queryParams: [{name: v, value: "2"}]
              filters:
                - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-a, value: "1"}], remove: [x-b]}}
                - {type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: x-c, value: "3"}]}}
                - {type: URLRewrite, urlRewrite: {hostname: internal, path: {type: ReplaceFullPath, replaceFullPath: /u}}}
                - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}}}
              backendRefs: [{name: web, port: 80}]
              timeouts: {request: 1m30s, backendRequest: 10s}
            - matches: [{path: {type: PathPrefix, value: /old}}]
              filters:
                - type: RequestRedirect
                  requestRedirect: {scheme: https, port: 443, statusCode: 301, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}
            """);

    assertThat(created.getMetadata().getUid()).isNotEmpty();
  }

  @Test
  void refusesARedirectRuleThatAlsoForwards() {
    assertThatThrownBy(
            () ->
                create(
                    "redirect-and-backends",
                    """
                    - filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
                      backendRefs: [{name: web, port: 80}]
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "a rule needs exactly one of backendRefs, directResponse and a RequestRedirect filter");
  }

  @Test
  void refusesAFilterWithoutTheFieldItsTypeNames() {
    assertThatThrownBy(
            () ->
                create(
                    "type-mismatch",
                    """
                    - filters: [{type: URLRewrite, requestHeaderModifier: {remove: [x-a]}}]
                      backendRefs: [{name: web, port: 80}]
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("set exactly the field that type names");
  }

  @Test
  void refusesRedirectTogetherWithRewriteAndARepeatedFilterType() {
    assertThatThrownBy(
            () ->
                create(
                    "redirect-and-rewrite",
                    """
                    - filters:
                        - {type: RequestRedirect, requestRedirect: {scheme: https}}
                        - {type: URLRewrite, urlRewrite: {hostname: a}}
                        - {type: URLRewrite, urlRewrite: {hostname: b}}
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("RequestRedirect and URLRewrite cannot be combined")
        .hasMessageContaining("each filter type but RequestMirror may appear once");
  }

  @Test
  void refusesARedirectStatusOutsideItsSet() {
    assertThatThrownBy(
            () ->
                create(
                    "bad-status",
                    """
                    - filters: [{type: RequestRedirect, requestRedirect: {statusCode: 200}}]
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("statusCode must be 301, 302, 303, 307 or 308");
  }

  @Test
  void refusesAnUnknownMethod() {
    assertThatThrownBy(
            () ->
                create(
                    "bad-method",
                    """
                    - matches: [{method: FETCH}]
                      backendRefs: [{name: web, port: 80}]
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("Unsupported value: \"FETCH\"");
  }

  @Test
  void refusesARelativeExactPathButNotARegularExpression() {
    assertThatThrownBy(
            () ->
                create(
                    "relative",
                    """
                    - matches: [{path: {type: Exact, value: "users"}}]
                      backendRefs: [{name: web, port: 80}]
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("an Exact or PathPrefix value must be an absolute path");

    assertThat(
            create(
                    "regex-anywhere",
                    """
                    - matches: [{path: {type: RegularExpression, value: ".*/users"}}]
                      backendRefs: [{name: web, port: 80}]
                    """)
                .getMetadata()
                .getUid())
        .isNotEmpty();
  }

  @Test
  void refusesADurationOutsideGatewayApiFormat() {
    assertThatThrownBy(
            () ->
                create(
                    "bad-timeout",
                    """
                    - backendRefs: [{name: web, port: 80}]
                      timeouts: {request: 1.5s}
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("timeouts.request");
  }

  @Test
  void acceptsTlsWithHostnamesAndRefusesItWithout() {
    GenericKubernetesResource withHostnames =
        client
            .resource(
                Serialization.unmarshal(
                    """
                    apiVersion: gantry.dev/v1alpha1
                    kind: ProxyRoute
                    metadata: {name: tls}
                    spec:
                      hostnames: [shop.example.com]
                      tls: {secretName: shop-tls}
                      rules: [{backendRefs: [{name: web, port: 80}]}]
                    """,
                    GenericKubernetesResource.class))
            .inNamespace(ns)
            .create();
    assertThat(withHostnames.getMetadata().getUid()).isNotEmpty();

    assertThatThrownBy(
            () ->
                client
                    .resource(
                        Serialization.unmarshal(
                            """
                            apiVersion: gantry.dev/v1alpha1
                            kind: ProxyRoute
                            metadata: {name: tls-everywhere}
                            spec:
                              tls: {secretName: shop-tls}
                              rules: [{backendRefs: [{name: web, port: 80}]}]
                            """,
                            GenericKubernetesResource.class))
                    .inNamespace(ns)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("tls needs hostnames: a certificate is chosen by hostname");
    assertThatThrownBy(
            () ->
                client
                    .resource(
                        Serialization.unmarshal(
                            """
                            apiVersion: gantry.dev/v1alpha1
                            kind: ProxyRoute
                            metadata: {name: tls-without-secret}
                            spec:
                              hostnames: [shop.example.com]
                              tls: {}
                              rules: [{backendRefs: [{name: web, port: 80}]}]
                            """,
                            GenericKubernetesResource.class))
                    .inNamespace(ns)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.tls.secretName");
  }

  @Test
  void defaultsTheIssuerKindAndGroupAndRefusesAnUnknownCertManagerKind() {
    GenericKubernetesResource created =
        client
            .resource(
                Serialization.unmarshal(
                    """
                    apiVersion: gantry.dev/v1alpha1
                    kind: ProxyRoute
                    metadata: {name: issued}
                    spec:
                      hostnames: [shop.example.com]
                      tls: {secretName: shop-tls, issuerRef: {name: ca}}
                      rules: [{backendRefs: [{name: web, port: 80}]}]
                    """,
                    GenericKubernetesResource.class))
            .inNamespace(ns)
            .create();
    assertThat(created.<String>get("spec", "tls", "issuerRef", "kind")).isEqualTo("Issuer");
    assertThat(created.<String>get("spec", "tls", "issuerRef", "group"))
        .isEqualTo("cert-manager.io");

    assertThatThrownBy(
            () ->
                client
                    .resource(
                        Serialization.unmarshal(
                            """
                            apiVersion: gantry.dev/v1alpha1
                            kind: ProxyRoute
                            metadata: {name: issued-by-nobody}
                            spec:
                              hostnames: [shop.example.com]
                              tls: {secretName: shop-tls, issuerRef: {name: ca, kind: Vault}}
                              rules: [{backendRefs: [{name: web, port: 80}]}]
                            """,
                            GenericKubernetesResource.class))
                    .inNamespace(ns)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("kind must be Issuer or ClusterIssuer when group is cert-manager.io");
    GenericKubernetesResource external =
        client
            .resource(
                Serialization.unmarshal(
                    """
                    apiVersion: gantry.dev/v1alpha1
                    kind: ProxyRoute
                    metadata: {name: issued-externally}
                    spec:
                      hostnames: [shop.example.com]
                      tls:
                        secretName: shop-tls
                        issuerRef: {name: vault, kind: VaultIssuer, group: example.com}
                      rules: [{backendRefs: [{name: web, port: 80}]}]
                    """,
                    GenericKubernetesResource.class))
            .inNamespace(ns)
            .create();
    assertThat(external.getMetadata().getUid()).isNotEmpty();
  }

  private static GenericKubernetesResource tlsRoute(String name, String tls, String rules) {
    String yaml =
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: %s}
        spec:
          hostnames: [shop.example.com]
          tls:
        %s
          rules:
        %s
        """
            .formatted(name, tls.indent(4), rules.indent(4));
    return client
        .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace(ns)
        .create();
  }

  private static GenericKubernetesResource tlsRoute(String name, String tls) {
    return tlsRoute(name, tls, "- backendRefs: [{name: web, port: 80}]");
  }

  @Test
  void acceptsATlsPolicyAndDefaultsClientValidationToRequiredWithoutTheCertificate() {
    GenericKubernetesResource created =
        tlsRoute(
            "policy",
            """
            secretName: other/shop-tls
            minVersion: "1.2"
            cipherSuites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]
            clientValidation: {caSecretName: client-ca}
            httpsRedirect: false
            hsts: {maxAge: 8760h, includeSubDomains: true, preload: true}
            """);

    assertThat(created.<Boolean>get("spec", "tls", "clientValidation", "optional")).isFalse();
    assertThat(created.<Boolean>get("spec", "tls", "clientValidation", "forwardCertificate"))
        .isFalse();
    assertThat(created.<String>get("spec", "tls", "minVersion")).isEqualTo("1.2");
  }

  @Test
  void refusesTls11AndSaysWhy() {
    assertThatThrownBy(() -> tlsRoute("tls11", "{secretName: shop-tls, minVersion: \"1.1\"}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.tls.minVersion")
        .hasMessageContaining(
            "minVersion must be 1.2 or 1.3: TLS 1.0 and 1.1 are deprecated (RFC 8996)");
  }

  @Test
  void refusesACipherSuiteHttp2Forbids() {
    assertThatThrownBy(
            () ->
                tlsRoute(
                    "cbc", "{secretName: shop-tls, cipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA]}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.tls.cipherSuites[0]")
        .hasMessageContaining("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  }

  @Test
  void refusesCipherSuitesWithTls13() {
    assertThatThrownBy(
            () ->
                tlsRoute(
                    "suites13",
                    """
                    secretName: shop-tls
                    minVersion: "1.3"
                    cipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("they have no effect with minVersion 1.3");
  }

  @Test
  void refusesHstsPreloadUnderAYearOrWithoutSubdomains() {
    assertThatThrownBy(
            () ->
                tlsRoute(
                    "short-preload",
                    "{secretName: shop-tls, hsts: {maxAge: 364d, includeSubDomains: true,"
                        + " preload: true}}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.tls.hsts.preload")
        .hasMessageContaining(
            "preload needs includeSubDomains and a maxAge of at least one year (365d)");
    assertThatThrownBy(
            () ->
                tlsRoute(
                    "narrow-preload",
                    "{secretName: shop-tls, hsts: {maxAge: 365d, preload: true}}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("preload needs includeSubDomains");
    assertThatThrownBy(() -> tlsRoute("bad-age", "{secretName: shop-tls, hsts: {maxAge: 1y}}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.tls.hsts.maxAge");
  }

  @Test
  void acceptsPassthroughWithOneForwardingRuleAndNothingElse() {
    GenericKubernetesResource created =
        tlsRoute(
            "passthrough",
            "{passthrough: true}",
            "- backendRefs: [{name: web, port: 443, weight: 3}, {name: web2, port: 443}]");

    assertThat(created.<Boolean>get("spec", "tls", "passthrough")).isTrue();
  }

  @Test
  void refusesPassthroughWithACertificateOrHttpRules() {
    assertThatThrownBy(
            () -> tlsRoute("passthrough-secret", "{passthrough: true, secretName: shop-tls}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("passthrough relays TLS without terminating it");
    assertThatThrownBy(
            () ->
                tlsRoute(
                    "passthrough-two-rules",
                    "{passthrough: true}",
                    """
                    - backendRefs: [{name: web, port: 443}]
                    - backendRefs: [{name: web2, port: 443}]
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("it needs exactly one rule with backendRefs only");
    assertThatThrownBy(
            () ->
                tlsRoute(
                    "passthrough-match",
                    "{passthrough: true}",
                    """
                    - matches: [{path: {type: PathPrefix, value: /api}}]
                      backendRefs: [{name: web, port: 443}]
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("it needs exactly one rule with backendRefs only");
    assertThatThrownBy(
            () ->
                tlsRoute(
                    "passthrough-h2",
                    "{passthrough: true}",
                    "- backendRefs: [{name: web, port: 443, protocol: H2}]"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("it needs exactly one rule with backendRefs only");
  }

  @Test
  void refusesANamespacedSecretWithAnIssuer() {
    assertThatThrownBy(
            () ->
                tlsRoute("issued-elsewhere", "{secretName: other/shop-tls, issuerRef: {name: ca}}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("with issuerRef, secretName names a Secret in the route's namespace");
  }

  @Test
  void acceptsADelegationAndRefusesATargetThatIsNotANamespace() {
    String delegation =
        """
        apiVersion: gantry.dev/v1alpha1
        kind: TLSCertificateDelegation
        metadata: {name: %s}
        spec:
          delegations:
            - secretName: wildcard-tls
              targetNamespaces: [%s]
        """;
    GenericKubernetesResource created =
        client
            .resource(
                Serialization.unmarshal(
                    delegation.formatted("shared", "\"*\", shop"), GenericKubernetesResource.class))
            .inNamespace(ns)
            .create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();

    assertThatThrownBy(
            () ->
                client
                    .resource(
                        Serialization.unmarshal(
                            delegation.formatted("bad", "Shop_Team"),
                            GenericKubernetesResource.class))
                    .inNamespace(ns)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.delegations[0].targetNamespaces[0]");
  }

  @Test
  void acceptsCorsAndTheGrpcWebSwitchAndRefusesAnyOriginWithCredentials() {
    GenericKubernetesResource created =
        create(
            "cors",
            """
            - backendRefs: [{name: web, port: 80}]
              grpcWeb: false
              cors:
                allowOrigins: ["https://app.example.com", "http://localhost:3000"]
                allowMethods: [GET, POST]
                allowHeaders: [content-type, x-grpc-web]
                exposeHeaders: [x-total-count]
                maxAge: 10m
                allowCredentials: true
            """);

    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThatThrownBy(
            () ->
                create(
                    "careless",
                    """
                    - backendRefs: [{name: web, port: 80}]
                      cors: {allowOrigins: ["*"], allowCredentials: true}
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("allowCredentials needs the origins listed");
    assertThatThrownBy(
            () ->
                create(
                    "path-in-origin",
                    """
                    - backendRefs: [{name: web, port: 80}]
                      cors: {allowOrigins: ["https://app.example.com/page"]}
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("allowOrigins[0]");
  }

  @Test
  void kubectlGetShowsHostnamesAcceptedAndProgrammed() throws Exception {
    String yaml =
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: listed}
        spec:
          hostnames: [shop.example.com]
          rules:
            - backendRefs: [{name: web, port: 80}]
        """;
    GenericKubernetesResource route =
        client
            .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
            .inNamespace(ns)
            .create();
    route.setAdditionalProperty(
        "status",
        Map.of(
            "conditions",
            List.of(
                condition("Accepted", "True", "Accepted"),
                condition("Programmed", "False", "Pending"))));
    client.resource(route).inNamespace(ns).updateStatus();

    // What kubectl get asks for: the server's table of the resource.
    HttpClient http = client.getHttpClient();
    String table =
        http.sendAsync(
                http.newHttpRequestBuilder()
                    .uri(
                        client.getMasterUrl()
                            + "apis/gantry.dev/v1alpha1/namespaces/"
                            + ns
                            + "/proxyroutes/listed")
                    .header("Accept", "application/json;as=Table;g=meta.k8s.io;v=v1")
                    .build(),
                String.class)
            .get(30, TimeUnit.SECONDS)
            .body();

    Map<?, ?> parsed = Serialization.unmarshal(table, Map.class);
    assertThat((List<?>) parsed.get("columnDefinitions"))
        .<Object>extracting(c -> ((Map<?, ?>) c).get("name"))
        .containsExactly("Name", "Age", "Hostnames", "Accepted", "Programmed");
    Map<?, ?> row = (Map<?, ?>) ((List<?>) parsed.get("rows")).getFirst();
    assertThat((List<Object>) row.get("cells"))
        .contains("listed", "[\"shop.example.com\"]", "True", "False");
  }

  private static Map<String, Object> condition(String type, String status, String reason) {
    return Map.of(
        "type",
        type,
        "status",
        status,
        "reason",
        reason,
        "message",
        "",
        "lastTransitionTime",
        "2026-11-24T00:00:00Z",
        "observedGeneration",
        1);
  }

  @Test
  void refusesAnIncludableRouteWithHostnamesAndAcceptsIncludes() {
    GenericKubernetesResource root =
        client
            .resource(
                Serialization.unmarshal(
                    """
                    apiVersion: gantry.dev/v1alpha1
                    kind: ProxyRoute
                    metadata: {name: includer}
                    spec:
                      hostnames: [shop.example.com]
                      includes: [{name: blog, namespace: team-blog, pathPrefix: /blog}]
                    """,
                    GenericKubernetesResource.class))
            .inNamespace(ns)
            .create();
    assertThat(root.getMetadata().getUid()).isNotEmpty();

    assertThatThrownBy(
            () ->
                client
                    .resource(
                        Serialization.unmarshal(
                            """
                            apiVersion: gantry.dev/v1alpha1
                            kind: ProxyRoute
                            metadata: {name: confused}
                            spec:
                              includable: true
                              hostnames: [blog.example.com]
                              rules: [{backendRefs: [{name: blog, port: 80}]}]
                            """,
                            GenericKubernetesResource.class))
                    .inNamespace(ns)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("has no hostnames or tls of its own");
    assertThatThrownBy(
            () ->
                client
                    .resource(
                        Serialization.unmarshal(
                            """
                            apiVersion: gantry.dev/v1alpha1
                            kind: ProxyRoute
                            metadata: {name: relative}
                            spec:
                              hostnames: [shop.example.com]
                              includes: [{name: blog, pathPrefix: blog}]
                            """,
                            GenericKubernetesResource.class))
                    .inNamespace(ns)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.includes[0].pathPrefix");
  }

  @Test
  void acceptsSourceRangesAndRefusesWhatIsNotAnAddress() {
    assertThat(
            create(
                    "ranges",
                    """
                    - backendRefs: [{name: web, port: 80}]
                      sourceRanges: {allow: [10.0.0.0/8, "2001:db8::/32"], deny: [10.0.0.1]}
                    """)
                .getMetadata()
                .getUid())
        .isNotEmpty();
    assertThatThrownBy(
            () ->
                create(
                    "hostname-range",
                    """
                    - backendRefs: [{name: web, port: 80}]
                      sourceRanges: {allow: [office.example.com]}
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("sourceRanges.allow[0]");
  }

  @Test
  void acceptsARateLimitAndRefusesANonPositiveOne() {
    assertThat(
            create(
                    "limited",
                    """
                    - backendRefs: [{name: web, port: 80}]
                      rateLimit: {requests: 100, per: 1m, burst: 20, key: ClientIP}
                    """)
                .getMetadata()
                .getUid())
        .isNotEmpty();
    assertThatThrownBy(
            () ->
                create(
                    "unlimited",
                    """
                    - backendRefs: [{name: web, port: 80}]
                      rateLimit: {requests: 0}
                    """))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("rateLimit.requests");
  }
}
