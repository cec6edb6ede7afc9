package dev.gantry.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.operator.compile.ObjectReport;
import dev.gantry.operator.compile.Problem;
import dev.gantry.operator.ir.ObjectRef;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CertificateConditionsTest {
  private final ObjectRef ref = new ObjectRef("ProxyRoute", "shop", "web");
  private final ObjectReport secretMissing =
      ObjectReport.accepted(
          ref,
          2,
          List.of(
              new Problem(
                  "SecretNotFound",
                  "Secret shop/web-tls (type kubernetes.io/tls) not found; www.example.com is"
                      + " served without TLS")));
  private final ObjectReport clean = ObjectReport.accepted(ref, 2, List.of());

  private static Condition resolvedRefs(ObjectReport report, CertificateState state) {
    return RouteConditions.of(report, OptionalLong.empty(), List.of(), state, false).stream()
        .filter(c -> c.getType().equals("ResolvedRefs"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aCertificateNotYetIssuedExplainsTheMissingSecretWithCertManagersMessage() {
    Condition c =
        resolvedRefs(
            secretMissing,
            new CertificateState.Owned(
                "web", false, "Issuing certificate as Secret does not exist"));

    assertThat(c)
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "CertificatePending");
    assertThat(c.getMessage())
        .isEqualTo(
            "Certificate web is not ready: Issuing certificate as Secret does not exist; Secret"
                + " shop/web-tls (type kubernetes.io/tls) not found; www.example.com is served"
                + " without TLS");
  }

  @Test
  void onceTheSecretExistsTheRouteResolvesWhateverTheCertificateSays() {
    Condition c =
        resolvedRefs(clean, new CertificateState.Owned("web", false, "Renewing certificate"));

    assertThat(c)
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "ResolvedRefs");
  }

  @Test
  void withoutCertManagerTheRouteSaysSoEvenWhenItsSecretExists() {
    Condition c = resolvedRefs(clean, CertificateState.NOT_INSTALLED);

    assertThat(c)
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "CertManagerNotInstalled");
    assertThat(c.getMessage()).contains("cert-manager", "not installed");
  }

  @Test
  void aCertificateMadeByHandIsReportedAndLeftAlone() {
    Condition c = resolvedRefs(secretMissing, new CertificateState.NotOwned("web"));

    assertThat(c)
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "CertificateNotOwned");
    assertThat(c.getMessage())
        .startsWith("Certificate web exists and is not controlled by this route")
        .contains("www.example.com is served without TLS");
  }

  @Test
  void aRouteWithoutIssuerRefKeepsWhatTheCompilerFound() {
    Condition c = resolvedRefs(secretMissing, CertificateState.NOT_REQUESTED);

    assertThat(c.getReason()).isEqualTo("SecretNotFound");
  }
}
