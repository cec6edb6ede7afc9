package dev.gantry.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.compile.Problem;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.snapshot.DataplaneRegistry.Dataplane;
import dev.gantry.operator.snapshot.DataplaneRegistry.Rejection;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RouteConditionsTest {
  private final ObjectRef ref = new ObjectRef("ProxyRoute", "default", "demo");

  private static Condition get(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private static Dataplane dataplane(String node, long acked, Optional<Rejection> rejection) {
    return new Dataplane("s-" + node, node, acked, rejection);
  }

  @Test
  void invalidSpecIsNotAcceptedAndNotProgrammed() {
    var conditions =
        RouteConditions.of(
            ObjectReport.rejected(ref, 4, new Problem("Invalid", "spec.rules is empty")),
            OptionalLong.empty(),
            List.of());
    assertThat(get(conditions, "Accepted"))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "Invalid", "spec.rules is empty");
    assertThat(get(conditions, "Programmed").getStatus()).isEqualTo("False");
    assertThat(conditions).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(4));
  }

  @Test
  void missingBackendIsNamedInResolvedRefs() {
    var report =
        ObjectReport.accepted(
            ref, 1, List.of(new Problem("BackendNotFound", "Service default/x not found")));
    var conditions =
        RouteConditions.of(
            report, OptionalLong.of(1), List.of(dataplane("a", 1, Optional.empty())));
    assertThat(get(conditions, "Accepted").getStatus()).isEqualTo("True");
    assertThat(get(conditions, "ResolvedRefs"))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "BackendNotFound");
    assertThat(get(conditions, "ResolvedRefs").getMessage())
        .contains("Service default/x not found");
  }

  @Test
  void aCertificateProblemKeepsTheRouteAcceptedAndSaysItsHostsGoWithoutTls() {
    var report =
        ObjectReport.accepted(
            ref,
            1,
            List.of(
                new Problem(
                    "SecretNotFound",
                    "Secret default/shop-tls (type kubernetes.io/tls) not found; shop.example.com"
                        + " is served without TLS")));
    var conditions =
        RouteConditions.of(
            report, OptionalLong.of(1), List.of(dataplane("a", 1, Optional.empty())));
    assertThat(get(conditions, "Accepted").getStatus()).isEqualTo("True");
    assertThat(get(conditions, "ResolvedRefs"))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(
            "False",
            "SecretNotFound",
            "Secret default/shop-tls (type kubernetes.io/tls) not found; shop.example.com is"
                + " served without TLS");
    assertThat(get(conditions, "Programmed").getStatus()).isEqualTo("True");
  }

  @Test
  void backendProblemsComeFirstAndOnlyTheySay503() {
    var report =
        ObjectReport.accepted(
            ref,
            1,
            List.of(
                new Problem(
                    "InvalidCertificate", "Secret default/t: expired; a is served without TLS"),
                new Problem("BackendNotFound", "Service default/x not found")));
    var conditions = RouteConditions.of(report, OptionalLong.empty(), List.of());
    assertThat(get(conditions, "ResolvedRefs"))
        .extracting(Condition::getReason, Condition::getMessage)
        .containsExactly(
            "BackendNotFound",
            "Service default/x not found; rules that use them answer 503; Secret default/t:"
                + " expired; a is served without TLS");
  }

  @Test
  void aPassthroughRouteSaysItsConnectionsAreClosedNotAnswered503() {
    var report =
        ObjectReport.accepted(
            ref, 1, List.of(new Problem("BackendNotFound", "Service default/db not found")));

    var conditions =
        RouteConditions.of(
            report, OptionalLong.empty(), List.of(), CertificateState.NOT_REQUESTED, true);

    assertThat(get(conditions, "ResolvedRefs").getMessage())
        .isEqualTo("Service default/db not found; connections relayed to them are closed");
  }

  @Test
  void backendsWithoutCertificateChecksShowAsBackendTlsVerifiedFalse() {
    var report =
        ObjectReport.accepted(ref, 1, List.of(), List.of("shop/b:443+tls-2", "shop/a:443+tls-1"));

    var conditions = RouteConditions.of(report, OptionalLong.empty(), List.of());

    assertThat(get(conditions, "BackendTLSVerified"))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(
            "False",
            "InsecureSkipVerify",
            "TLS to shop/a:443+tls-1, shop/b:443+tls-2 is encrypted but the backend's certificate"
                + " is not checked (insecureSkipVerify)");
    assertThat(get(conditions, "Accepted").getStatus()).isEqualTo("True");
  }

  @Test
  void routesWithoutInsecureBackendsHaveNoBackendTlsVerifiedCondition() {
    var conditions =
        RouteConditions.of(
            ObjectReport.accepted(ref, 1, List.of()), OptionalLong.empty(), List.of());

    assertThat(conditions).extracting(Condition::getType).doesNotContain("BackendTLSVerified");
  }

  @Test
  void programmedOnlyWhenEveryDataplaneAckedAVersionHoldingTheGeneration() {
    var report = ObjectReport.accepted(ref, 2, List.of());
    assertThat(
            get(RouteConditions.of(report, OptionalLong.of(5), List.of()), "Programmed")
                .getReason())
        .isEqualTo("NoDataplanes");
    var pending =
        RouteConditions.of(
            report,
            OptionalLong.of(5),
            List.of(dataplane("a", 5, Optional.empty()), dataplane("b", 4, Optional.empty())));
    assertThat(get(pending, "Programmed"))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "Pending");
    var done =
        RouteConditions.of(
            report,
            OptionalLong.of(5),
            List.of(dataplane("a", 6, Optional.empty()), dataplane("b", 5, Optional.empty())));
    assertThat(get(done, "Programmed"))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "Programmed");
  }

  @Test
  void aNackOfTheVersionShowsAsRejected() {
    var report = ObjectReport.accepted(ref, 2, List.of());
    var conditions =
        RouteConditions.of(
            report,
            OptionalLong.of(5),
            List.of(dataplane("a", 4, Optional.of(new Rejection(5, "cluster y unknown")))));
    assertThat(get(conditions, "Programmed"))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "Rejected");
    assertThat(get(conditions, "Programmed").getMessage())
        .contains("dataplane a")
        .contains("cluster y unknown");
  }
}
