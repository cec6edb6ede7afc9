package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.ir.Hsts;
import dev.gantry.operator.ir.TcpProxy;
import dev.gantry.operator.ir.TlsCertificate;
import dev.gantry.operator.ir.TlsPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a route asks of the TLS of its hosts: terminated with a certificate under a policy, or
 * passed through to backends. One route's claim per host wins ({@link GraphBuilder#claimTls}).
 */
sealed interface HostTls {

  /** TLS terminated with {@code certificate}. */
  record Terminated(
      TlsCertificate certificate, TlsPolicy policy, boolean httpsRedirect, Optional<Hsts> hsts)
      implements HostTls {
    public Terminated {
      requireNonNull(certificate, "certificate");
      requireNonNull(policy, "policy");
      requireNonNull(hsts, "hsts");
    }

    /** Returns the settings other than the certificate in which {@code other} differs. */
    List<String> differences(Terminated other) {
      List<String> fields = new ArrayList<>();
      if (policy.minVersion() != other.policy.minVersion()) {
        fields.add("minVersion");
      }
      if (!policy.cipherSuites().equals(other.policy.cipherSuites())) {
        fields.add("cipherSuites");
      }
      if (!policy.clientValidation().equals(other.policy.clientValidation())) {
        fields.add("clientValidation");
      }
      if (httpsRedirect != other.httpsRedirect) {
        fields.add("httpsRedirect");
      }
      if (!hsts.equals(other.hsts)) {
        fields.add("hsts");
      }
      return fields;
    }
  }

  /** TLS relayed, not terminated. */
  record Passthrough(TcpProxy tcpProxy) implements HostTls {
    public Passthrough {
      requireNonNull(tcpProxy, "tcpProxy");
    }
  }
}
