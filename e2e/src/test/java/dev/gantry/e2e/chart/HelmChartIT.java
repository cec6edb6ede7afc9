package dev.gantry.e2e.chart;

import static dev.gantry.e2e.chart.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.ProxyRoutes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The chart as Helm sees it (lint, template) and as a real API server accepts it (install). */
class HelmChartIT {

  private static final String OPERATOR = "gantry-operator";
  private static final String DATAPLANE = "gantry-dataplane";
  private static final String CRD = "proxyroutes.gantry.dev";

  /**
   * Exactly what the operator may do cluster-wide; a new permission must be added here on purpose.
   */
  private static final List<PolicyRule> OPERATOR_CLUSTER_RULES =
      List.of(
          rule("gantry.dev", "proxyroutes", "get", "list", "watch"),
          rule("gantry.dev", "proxyroutes/status", "get", "update", "patch"),
          rule("gantry.dev", "tlscertificatedelegations", "get", "list", "watch"),
          rule("networking.k8s.io", "ingresses", "get", "list", "watch"),
          rule("networking.k8s.io", "ingresses/status", "get", "update", "patch"),
          rule("", "services", "get", "list", "watch"),
          rule("discovery.k8s.io", "endpointslices", "get", "list", "watch"),
          rule("", "secrets", "get", "list", "watch"),
          rule(
              "cert-manager.io",
              "certificates",
              "get",
              "list",
              "watch",
              "create",
              "update",
              "patch",
              "delete"),
          rule("", "events", "create", "patch"),
          rule("events.k8s.io", "events", "create", "patch"));

  private static final List<PolicyRule> OPERATOR_LEASE_RULES =
      List.of(
          rule(
              "coordination.k8s.io",
              "leases",
              "get",
              "list",
              "watch",
              "create",
              "update",
              "patch",
              "delete"),
          // The dataplane Service, whose address Gantry's Ingresses publish.
          rule("", "services", "get", "list", "watch"));

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = new Helm(ChartSources.chartDirectory()).lint().strict().call();

    assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
  }

  @Test
  void rendersBothComponentsWithTheirServicesAccountsAndBudgets() {
    RenderedChart chart = RenderedChart.render();

    assertThat(chart.names())
        .contains(
            "Deployment/" + OPERATOR,
            "Deployment/" + DATAPLANE,
            "Service/" + OPERATOR,
            "Service/" + DATAPLANE,
            "ServiceAccount/" + OPERATOR,
            "ServiceAccount/" + DATAPLANE,
            "ClusterRole/" + OPERATOR,
            "ClusterRoleBinding/" + OPERATOR,
            "Role/" + OPERATOR + "-leader-election",
            "RoleBinding/" + OPERATOR + "-leader-election",
            "PodDisruptionBudget/" + OPERATOR,
            "PodDisruptionBudget/" + DATAPLANE,
            "IngressClass/gantry");
    assertThat(chart.get(IngressClass.class, "gantry").getSpec().getController())
        .isEqualTo("gantry.dev/ingress-controller");
    assertThat(chart.get(Deployment.class, OPERATOR).getSpec().getReplicas()).isEqualTo(2);
    assertThat(chart.get(Deployment.class, DATAPLANE).getSpec().getReplicas()).isEqualTo(2);
    assertThat(chart.all(PodDisruptionBudget.class))
        .allSatisfy(pdb -> assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1));
  }

  @Test
  void dataplanePodsGetNoKubernetesApiToken() {
    RenderedChart chart = RenderedChart.render();

    PodSpec pod = chart.get(Deployment.class, DATAPLANE).getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getServiceAccountName()).isEqualTo(DATAPLANE);
    assertThat(chart.get(ServiceAccount.class, DATAPLANE).getAutomountServiceAccountToken())
        .isFalse();
    // Its only token is for the snapshot stream's audience, which the API server does not accept.
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getProjected() != null)
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getProjected().getSources())
                    .singleElement()
                    .satisfies(
                        source -> {
                          assertThat(source.getServiceAccountToken().getAudience())
                              .isEqualTo("gantry.dev/snapshots");
                          assertThat(source.getServiceAccountToken().getExpirationSeconds())
                              .isEqualTo(3600L);
                        }));
    assertThat(
            chart.all(RoleBinding.class).stream()
                .flatMap(binding -> binding.getSubjects().stream()))
        .noneMatch(subject -> DATAPLANE.equals(subject.getName()));
    assertThat(
            chart.all(ClusterRoleBinding.class).stream()
                .flatMap(binding -> binding.getSubjects().stream()))
        .noneMatch(subject -> DATAPLANE.equals(subject.getName()));
  }

  @Test
  void operatorRolesGrantExactlyTheListedVerbs() {
    RenderedChart chart = RenderedChart.render();

    assertThat(chart.get(ClusterRole.class, OPERATOR).getRules())
        .containsExactlyInAnyOrderElementsOf(OPERATOR_CLUSTER_RULES);
    Role leases = chart.get(Role.class, OPERATOR + "-leader-election");
    assertThat(leases.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(leases.getRules()).containsExactlyInAnyOrderElementsOf(OPERATOR_LEASE_RULES);
    ClusterRoleBinding binding = chart.get(ClusterRoleBinding.class, OPERATOR);
    assertThat(binding.getRoleRef().getName()).isEqualTo(OPERATOR);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("ServiceAccount");
              assertThat(subject.getName()).isEqualTo(OPERATOR);
              assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
            });
  }

  @Test
  void podsRunAsNonRootOnAReadOnlyRootWithoutCapabilities() {
    RenderedChart chart = RenderedChart.render();

    assertThat(chart.all(Deployment.class))
        .hasSize(2)
        .allSatisfy(
            deployment -> {
              PodSpec pod = deployment.getSpec().getTemplate().getSpec();
              assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
              assertThat(pod.getSecurityContext().getSeccompProfile().getType())
                  .isEqualTo("RuntimeDefault");
              assertThat(pod.getContainers())
                  .allSatisfy(
                      container -> {
                        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                            .isTrue();
                        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                            .isFalse();
                        assertThat(container.getSecurityContext().getCapabilities().getDrop())
                            .containsExactly("ALL");
                        assertThat(container.getSecurityContext().getCapabilities().getAdd())
                            .isNullOrEmpty();
                        assertThat(container.getVolumeMounts())
                            .anySatisfy(
                                mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
                      });
            });
  }

  @Test
  void pinsImagesToTheAppVersionAndNeverLatest() {
    assertThat(images(RenderedChart.render())).containsOnly("ghcr.io/gantry-dev/gantry:0.1.0");
    assertThat(
            images(
                RenderedChart.render(
                    Map.of("image.repository", "registry.test/gantry", "image.tag", "1.2.3"))))
        .containsOnly("registry.test/gantry:1.2.3");
    String digest = "sha256:" + "a".repeat(64);
    assertThat(images(RenderedChart.render(Map.of("image.tag", "1.2.3", "image.digest", digest))))
        .containsOnly("ghcr.io/gantry-dev/gantry@" + digest);
    assertThatThrownBy(() -> RenderedChart.render(Map.of("image.tag", "latest")))
        .hasMessageContaining("image.tag");
  }

  @Test
  void passesPortsAndIdentityToTheCommands() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "operator.grpcPort",
                19000,
                "operator.adminPort",
                8100,
                "operator.watchNamespace",
                "apps"));

    Container operator =
        chart
            .get(Deployment.class, OPERATOR)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    assertThat(operator.getArgs())
        .containsExactly(
            "operator",
            "--grpc-port=19000",
            "--admin-port=8100",
            "--watch-namespace=apps",
            "--dataplane-service-account=" + NAMESPACE + "/" + DATAPLANE,
            "--publish-service=" + NAMESPACE + "/" + DATAPLANE);
    assertThat(operator.getEnv())
        .extracting("name")
        .contains("POD_NAME", "POD_NAMESPACE", "GANTRY_LEASE_NAME");
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");

    Container dataplane =
        chart
            .get(Deployment.class, DATAPLANE)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    assertThat(dataplane.getArgs())
        .containsExactly(
            "dataplane",
            "--operator=" + OPERATOR + "." + NAMESPACE + ".svc:19000",
            "--http-port=8080",
            "--https-port=8443",
            "--https-redirect-port=443",
            "--admin-port=9901",
            "--node-id=$(POD_NAME)",
            "--shutdown-delay=5s",
            "--shutdown-timeout=20s",
            "--token-file=/var/run/secrets/gantry.dev/snapshots/token");
    assertThat(dataplane.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/live");
    assertThat(dataplane.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(chart.get(Service.class, OPERATOR).getSpec().getPorts())
        .singleElement()
        .satisfies(port -> assertThat(port.getPort()).isEqualTo(19000));
  }

  @Test
  void passesTheIngressNginxConfigMapAndLetsTheOperatorReadThatOneOnly() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of("ingressClass.nginxConfigMap", "ingress-nginx/ingress-nginx-controller"));

    assertThat(
            chart
                .get(Deployment.class, OPERATOR)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getArgs())
        .contains("--nginx-configmap=ingress-nginx/ingress-nginx-controller");
    Role role = chart.get(Role.class, OPERATOR + "-nginx-configmap");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("ingress-nginx");
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResources()).containsExactly("configmaps");
              assertThat(r.getResourceNames()).containsExactly("ingress-nginx-controller");
              assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
            });
  }

  @Test
  void bindsTheOperatorInItsWatchedNamespaceOnly() {
    RenderedChart chart = RenderedChart.render(Map.of("operator.watchNamespace", "apps"));

    assertThat(chart.all(ClusterRoleBinding.class))
        .as("only IngressClasses, which are cluster-scoped, are read cluster-wide")
        .singleElement()
        .satisfies(
            b -> assertThat(b.getRoleRef().getName()).isEqualTo(OPERATOR + "-ingressclasses"));
    assertThat(chart.get(ClusterRole.class, OPERATOR + "-ingressclasses").getRules())
        .containsExactly(
            rule("networking.k8s.io", "ingressclasses", "get", "list", "watch"),
            rule("authentication.k8s.io", "tokenreviews", "create"));
    RoleBinding binding = chart.get(RoleBinding.class, OPERATOR);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo("apps");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
  }

  @Test
  void passesTheDefaultCertificateToTheOperatorAndLetsItReadThatSecretOutsideItsNamespace() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of("operator.watchNamespace", "apps", "tls.defaultCertificate", "certs/wildcard"));

    assertThat(
            chart
                .get(Deployment.class, OPERATOR)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getArgs())
        .contains("--default-certificate=certs/wildcard");
    Role role = chart.get(Role.class, OPERATOR + "-default-certificate");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("certs");
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResources()).containsExactly("secrets");
              assertThat(r.getResourceNames()).containsExactly("wildcard");
              assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
            });
    assertThat(chart.get(RoleBinding.class, OPERATOR + "-default-certificate").getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(OPERATOR));

    assertThat(
            RenderedChart.render(Map.of("tls.defaultCertificate", "certs/wildcard"))
                .all(Role.class))
        .as("watching every namespace, the ClusterRole covers the Secret already")
        .extracting(r -> r.getMetadata().getName())
        .doesNotContain(OPERATOR + "-default-certificate");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("tls.defaultCertificate", "wildcard")))
        .hasMessageContaining("/tls/defaultCertificate");
  }

  @Test
  void exposesTheDataplaneAsALoadBalancerOrAsConfigured() {
    Service byDefault = RenderedChart.render().get(Service.class, DATAPLANE);
    assertThat(byDefault.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(byDefault.getSpec().getPorts())
        .extracting(
            port -> port.getName() + " " + port.getPort() + "->" + port.getTargetPort().getStrVal())
        .containsExactly("http 80->http", "https 443->https");

    Service nodePort =
        RenderedChart.render(
                Map.of("dataplane.service.type", "NodePort", "dataplane.service.nodePort", 30080))
            .get(Service.class, DATAPLANE);
    assertThat(nodePort.getSpec().getType()).isEqualTo("NodePort");
    assertThat(nodePort.getSpec().getPorts().getFirst().getNodePort()).isEqualTo(30080);

    Service clusterIp =
        RenderedChart.render(
                Map.of("dataplane.service.type", "ClusterIP", "dataplane.service.nodePort", 30080))
            .get(Service.class, DATAPLANE);
    assertThat(clusterIp.getSpec().getPorts().getFirst().getNodePort()).isNull();

    assertThatThrownBy(() -> RenderedChart.render(Map.of("dataplane.service.type", "Ingress")))
        .hasMessageContaining("/dataplane/service/type");
  }

  @Test
  void servesTlsOn8443BehindServicePort443UnlessTurnedOff() {
    RenderedChart byDefault =
        RenderedChart.render(Map.of("tls.defaultCertificate", "gantry/wildcard"));
    Container dataplane =
        byDefault
            .get(Deployment.class, DATAPLANE)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    assertThat(dataplane.getArgs())
        .contains("--https-port=8443", "--default-certificate=gantry/wildcard");
    assertThat(dataplane.getPorts())
        .extracting(port -> port.getName() + " " + port.getContainerPort())
        .contains("https 8443");

    RenderedChart off = RenderedChart.render(Map.of("dataplane.httpsPort", 0));
    assertThat(
            off.get(Deployment.class, DATAPLANE)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getArgs())
        .contains("--https-port=0")
        .noneMatch(arg -> arg.startsWith("--default-certificate"));
    assertThat(off.get(Service.class, DATAPLANE).getSpec().getPorts())
        .extracting(port -> port.getName())
        .containsExactly("http");
  }

  @Test
  void honoursReplicasAndSchedulingOverrides() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "operator.replicas",
                3,
                "dataplane.replicas",
                5,
                "dataplane.nodeSelector.node-role\\.gantry\\.dev/edge",
                "true",
                "dataplane.tolerations[0].key",
                "edge",
                "dataplane.tolerations[0].operator",
                "Exists",
                "dataplane.podDisruptionBudget.minAvailable",
                2,
                "operator.podDisruptionBudget.enabled",
                false));

    Deployment dataplane = chart.get(Deployment.class, DATAPLANE);
    assertThat(chart.get(Deployment.class, OPERATOR).getSpec().getReplicas()).isEqualTo(3);
    assertThat(dataplane.getSpec().getReplicas()).isEqualTo(5);
    assertThat(dataplane.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("node-role.gantry.dev/edge", "true");
    assertThat(dataplane.getSpec().getTemplate().getSpec().getTolerations())
        .singleElement()
        .satisfies(toleration -> assertThat(toleration.getKey()).isEqualTo("edge"));
    assertThat(chart.all(PodDisruptionBudget.class))
        .singleElement()
        .satisfies(
            pdb -> {
              assertThat(pdb.getMetadata().getName()).isEqualTo(DATAPLANE);
              assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
              assertThat(pdb.getSpec().getMaxUnavailable()).isNull();
            });
  }

  @Test
  void refusesClustersOlderThanTheSupportedMinimum() {
    assertThatThrownBy(
            () ->
                new Helm(ChartSources.chartDirectory()).template().withKubeVersion("1.28.0").call())
        .hasMessageContaining("kubeVersion");
  }

  private static List<String> images(RenderedChart chart) {
    return chart.all(Deployment.class).stream()
        .flatMap(
            deployment -> deployment.getSpec().getTemplate().getSpec().getContainers().stream())
        .map(Container::getImage)
        .toList();
  }

  private static PolicyRule rule(String group, String resource, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resource)
        .withVerbs(verbs)
        .build();
  }

  /** Installs the chart with Helm into the real API server; nothing runs the pods (no kubelet). */
  @Nested
  @ExtendWith(KubeApiServerExtension.class)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class InstalledInARealApiServer {

    private KubernetesClient client;
    private String namespace;

    @BeforeAll
    void install(KubeApiServer server, TestNamespace releaseNamespace) {
      client = server.client();
      namespace = releaseNamespace.name();
      Release release =
          new Helm(ChartSources.chartDirectory())
              .install()
              .withName("gantry")
              .withNamespace(namespace)
              .createNamespace()
              .withKubeConfigContents(server.kubeconfigYaml())
              .call();
      assertThat(release.getStatus()).isEqualTo("deployed");
    }

    @Test
    void installsAServableProxyRouteCrd() {
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(CRD).get())
          .isNotNull();
      ProxyRoutes.awaitEstablished(client);

      client
          .resource(
              ProxyRoutes.route(
                  namespace, "echo", List.of(), List.of(ProxyRoutes.forward("/", "echo"))))
          .create();

      assertThat(client.resources(ProxyRoute.class).inNamespace(namespace).withName("echo").get())
          .isNotNull();
    }

    @Test
    void createsWorkloadsServicesAndAccounts() {
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(namespace)
                  .withName(OPERATOR)
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(2);
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(namespace)
                  .withName(DATAPLANE)
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(2);
      assertThat(
              client.services().inNamespace(namespace).withName(OPERATOR).get().getSpec().getType())
          .isEqualTo("ClusterIP");
      assertThat(
              client
                  .services()
                  .inNamespace(namespace)
                  .withName(DATAPLANE)
                  .get()
                  .getSpec()
                  .getType())
          .isEqualTo("LoadBalancer");
      assertThat(client.serviceAccounts().inNamespace(namespace).withName(OPERATOR).get())
          .isNotNull();
      assertThat(
              client
                  .serviceAccounts()
                  .inNamespace(namespace)
                  .withName(DATAPLANE)
                  .get()
                  .getAutomountServiceAccountToken())
          .isFalse();
      assertThat(
              client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems())
          .hasSize(2);
    }

    @Test
    void createsTheOperatorsRbac() {
      assertThat(client.rbac().clusterRoles().withName(OPERATOR).get().getRules())
          .containsExactlyInAnyOrderElementsOf(OPERATOR_CLUSTER_RULES);
      assertThat(client.rbac().clusterRoleBindings().withName(OPERATOR).get().getSubjects())
          .singleElement()
          .satisfies(subject -> assertThat(subject.getNamespace()).isEqualTo(namespace));
      assertThat(
              client
                  .rbac()
                  .roles()
                  .inNamespace(namespace)
                  .withName(OPERATOR + "-leader-election")
                  .get()
                  .getRules())
          .containsExactlyInAnyOrderElementsOf(OPERATOR_LEASE_RULES);
      assertThat(
              client
                  .rbac()
                  .roleBindings()
                  .inNamespace(namespace)
                  .withName(OPERATOR + "-leader-election")
                  .get())
          .isNotNull();
    }

    @Test
    void operatorMayWatchRoutesAndWriteTheirStatus() {
      assumeAuthorizationIsEnforced();

      assertThat(operatorMay("watch", "gantry.dev", "proxyroutes", "", "")).isTrue();
      assertThat(operatorMay("watch", "gantry.dev", "tlscertificatedelegations", "", "")).isTrue();
      assertThat(operatorMay("patch", "gantry.dev", "proxyroutes", "status", "apps")).isTrue();
      assertThat(operatorMay("list", "discovery.k8s.io", "endpointslices", "", "apps")).isTrue();
      assertThat(operatorMay("create", "", "events", "", "apps")).isTrue();
      assertThat(operatorMay("watch", "", "secrets", "", "apps")).isTrue();
      assertThat(operatorMay("update", "coordination.k8s.io", "leases", "", namespace)).isTrue();
      assertThat(operatorMay("watch", "networking.k8s.io", "ingresses", "", "apps")).isTrue();
      assertThat(operatorMay("patch", "networking.k8s.io", "ingresses", "status", "apps")).isTrue();
      assertThat(operatorMay("list", "networking.k8s.io", "ingressclasses", "", "")).isTrue();
    }

    @Test
    void operatorMayNotTouchAnythingElse() {
      assumeAuthorizationIsEnforced();

      assertThat(operatorMay("update", "", "secrets", "", namespace)).isFalse();
      assertThat(operatorMay("create", "", "secrets", "", "apps")).isFalse();
      assertThat(operatorMay("delete", "apps", "deployments", "", namespace)).isFalse();
      assertThat(operatorMay("update", "gantry.dev", "proxyroutes", "", "apps")).isFalse();
      assertThat(operatorMay("create", "coordination.k8s.io", "leases", "", "kube-system"))
          .isFalse();
    }

    @Test
    void dataplaneHasNoKubernetesApiAccess() {
      assumeAuthorizationIsEnforced();

      assertThat(
              serviceAccountMay(
                  namespace, DATAPLANE, "get", "gantry.dev", "proxyroutes", "", namespace))
          .isFalse();
      assertThat(serviceAccountMay(namespace, DATAPLANE, "list", "", "services", "", namespace))
          .isFalse();
    }

    /** A canary: a service account nobody bound anything to must not read secrets. */
    private void assumeAuthorizationIsEnforced() {
      assumeThat(serviceAccountMay("nowhere", "nobody", "get", "", "secrets", "", "kube-system"))
          .as(
              "the API server allows everything (authorization mode AlwaysAllow): least privilege"
                  + " cannot be checked")
          .isFalse();
    }

    private boolean operatorMay(
        String verb, String group, String resource, String subresource, String inNamespace) {
      return serviceAccountMay(
          namespace, OPERATOR, verb, group, resource, subresource, inNamespace);
    }

    /**
     * Asks the API server's authorizer whether the service account may do {@code verb}; empty
     * strings mean "any".
     */
    private boolean serviceAccountMay(
        String saNamespace,
        String saName,
        String verb,
        String group,
        String resource,
        String subresource,
        String inNamespace) {
      SubjectAccessReview review =
          new SubjectAccessReviewBuilder()
              .withNewSpec()
              .withUser("system:serviceaccount:" + saNamespace + ":" + saName)
              .withGroups(
                  "system:serviceaccounts",
                  "system:serviceaccounts:" + saNamespace,
                  "system:authenticated")
              .withNewResourceAttributes()
              .withVerb(verb)
              .withGroup(group)
              .withResource(resource)
              .withSubresource(subresource)
              .withNamespace(inNamespace)
              .endResourceAttributes()
              .endSpec()
              .build();
      return Boolean.TRUE.equals(
          client
              .authorization()
              .v1()
              .subjectAccessReview()
              .create(review)
              .getStatus()
              .getAllowed());
    }
  }
}
