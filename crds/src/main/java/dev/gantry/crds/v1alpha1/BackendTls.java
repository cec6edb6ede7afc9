package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the proxy checks a backend it speaks TLS to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendTls(
    @JsonPropertyDescription(
            "Sent as SNI; the endpoints' certificate must carry it, from a CA the proxy's JVM"
                + " trusts. Default: <service>.<namespace>.svc.")
        String serverName,
    @JsonPropertyDescription(
            "Accept any certificate from the endpoints: no CA and no name check. Encrypts, but"
                + " does not authenticate the backend; shown on the route's status. Default"
                + " false.")
        Boolean insecureSkipVerify,
    @JsonPropertyDescription(
            "A kubernetes.io/tls Secret in the route's namespace whose ca.crt holds the PEM CA"
                + " certificates the backend's certificate must lead to, instead of the JVM's"
                + " (cert-manager writes ca.crt).")
        String caSecretName,
    @JsonPropertyDescription(
            "A kubernetes.io/tls Secret in the route's namespace whose certificate and key the"
                + " proxy presents to the backend (mutual TLS).")
        String clientCertificateSecretName) {

  /** TLS settings without Secrets. */
  public BackendTls(String serverName, Boolean insecureSkipVerify) {
    this(serverName, insecureSkipVerify, null, null);
  }
}
