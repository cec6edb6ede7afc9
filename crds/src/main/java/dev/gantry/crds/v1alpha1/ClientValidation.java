package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Client certificates (mutual TLS) a route's hostnames ask for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientValidation(
    @JsonPropertyDescription(
            "A kubernetes.io/tls Secret in the route's namespace whose ca.crt holds the PEM CA"
                + " certificates a client certificate must chain to (cert-manager writes ca.crt)."
                + " Missing or unparsable: the hostnames are served without TLS rather than"
                + " without client validation, and ResolvedRefs says why.")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(SECRET_NAME)
        String caSecretName,
    @JsonPropertyDescription(
            "true: a client may connect without a certificate (its requests then carry no"
                + " X-Forwarded-Client-Cert). A certificate that does not verify always fails the"
                + " handshake. Default false: a certificate is required.")
        @Default("false")
        Boolean optional,
    @JsonPropertyDescription(
            "Adds the client's leaf certificate (URL-encoded PEM) to the X-Forwarded-Client-Cert"
                + " header sent to the backends. Default false: hash, subject and SANs only.")
        @Default("false")
        Boolean forwardCertificate) {

  /** A DNS subdomain: the name of a Secret in the route's namespace. */
  static final String SECRET_NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

  /** Returns whether a client may connect without a certificate; false when unset. */
  public boolean optionalOrDefault() {
    return Boolean.TRUE.equals(optional);
  }

  /** Returns whether the leaf is forwarded to the backends; false when unset. */
  public boolean forwardCertificateOrDefault() {
    return Boolean.TRUE.equals(forwardCertificate);
  }
}
