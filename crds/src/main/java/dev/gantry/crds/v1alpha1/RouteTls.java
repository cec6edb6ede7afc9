package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How the proxy terminates TLS for a ProxyRoute's hostnames, or passes it through. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.passthrough) || !self.passthrough || !(has(self.secretName) ||"
            + " has(self.issuerRef) || has(self.minVersion) || has(self.cipherSuites) ||"
            + " has(self.clientValidation) || has(self.httpsRedirect) || has(self.hsts))",
    message =
        "passthrough relays TLS without terminating it: secretName, issuerRef, minVersion,"
            + " cipherSuites, clientValidation, httpsRedirect and hsts cannot be set with it")
@ValidationRule(
    value = "(has(self.passthrough) && self.passthrough) || has(self.secretName)",
    message = "secretName is required unless passthrough is true",
    fieldPath = ".secretName")
@ValidationRule(
    value = "!has(self.minVersion) || self.minVersion in ['1.2', '1.3']",
    message =
        "minVersion must be 1.2 or 1.3: TLS 1.0 and 1.1 are deprecated (RFC 8996) and"
            + " browsers no longer speak them",
    fieldPath = ".minVersion")
@ValidationRule(
    value = "!has(self.cipherSuites) || !has(self.minVersion) || self.minVersion != '1.3'",
    message =
        "cipherSuites choose TLS 1.2 suites, so they have no effect with minVersion 1.3 (TLS 1.3"
            + " suites are not configurable)",
    fieldPath = ".cipherSuites")
@ValidationRule(
    value = "!has(self.issuerRef) || !has(self.secretName) || !self.secretName.contains('/')",
    message =
        "with issuerRef, secretName names a Secret in the route's namespace: cert-manager writes"
            + " it next to its Certificate",
    fieldPath = ".secretName")
public record RouteTls(
    @JsonPropertyDescription(
            "A kubernetes.io/tls Secret whose tls.crt (PEM chain, leaf first) and tls.key (PEM:"
                + " PKCS#1, SEC1 or PKCS#8, RSA or ECDSA) are served for the route's hostnames:"
                + " a name in the route's namespace, or namespace/name when a"
                + " TLSCertificateDelegation in that namespace delegates the Secret to the"
                + " route's. The leaf certificate must cover every hostname and be valid now;"
                + " otherwise the hosts it does not cover are served without TLS and the route's"
                + " ResolvedRefs condition says why. Required unless passthrough.")
        @Size(min = 1, max = 317)
        @Pattern(SECRET_REF)
        String secretName,
    @JsonPropertyDescription(
            "A cert-manager issuer that signs a certificate for the route's hostnames. With it,"
                + " the operator owns a cert-manager Certificate named like the route (in the"
                + " route's namespace) that writes secretName; the hosts are served with TLS as"
                + " soon as that Secret exists, and until then ResolvedRefs says"
                + " CertificatePending. Needs cert-manager installed.")
        IssuerRef issuerRef,
    @JsonPropertyDescription(
            "The lowest TLS version accepted: 1.2 (the default) or 1.3. TLS 1.0 and 1.1 are"
                + " refused (RFC 8996).")
        String minVersion,
    @JsonPropertyDescription(
            "The TLS 1.2 cipher suites offered, by IANA name, in order of preference. Only the"
                + " ECDHE AEAD suites (AES-GCM, CHACHA20-POLY1305) are allowed, so HTTP/2 stays"
                + " valid. Absent: all six. TLS 1.3 suites are not configurable.")
        @Size(min = 1, max = 6)
        List<TlsCipherSuite> cipherSuites,
    @JsonPropertyDescription(
            "Asks clients for a certificate signed by the CAs of a Secret (mutual TLS); the"
                + " verified certificate's details reach the backends in X-Forwarded-Client-Cert."
                + " Absent: no client certificates.")
        ClientValidation clientValidation,
    @JsonPropertyDescription(
            "Answers plain-HTTP requests for the hostnames with 308 to https:// (except"
                + " /.well-known/acme-challenge/). Default true; false serves both.")
        Boolean httpsRedirect,
    @JsonPropertyDescription(
            "Adds Strict-Transport-Security to the hostnames' responses over TLS. Absent: none.")
        Hsts hsts,
    @JsonPropertyDescription(
            "true: TLS is not terminated; connections whose SNI names a hostname are relayed as"
                + " raw bytes to the backends of the route's single rule (backendRefs only), and"
                + " the backends present their own certificates. Nothing else may be set in tls"
                + " then. Default false.")
        Boolean passthrough) {

  /** A Secret name, optionally prefixed by its namespace. */
  static final String SECRET_REF =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

  public RouteTls {
    cipherSuites = cipherSuites == null ? null : List.copyOf(cipherSuites);
  }

  /** A route served with a certificate, by default policy. */
  public RouteTls(String secretName, IssuerRef issuerRef) {
    this(secretName, issuerRef, null, null, null, null, null, null);
  }

  /** A route served with the certificate of an existing Secret. */
  public RouteTls(String secretName) {
    this(secretName, null);
  }

  /** A route whose TLS connections are relayed to its backends without being terminated. */
  public static RouteTls passthroughOnly() {
    return new RouteTls(null, null, null, null, null, null, null, true);
  }

  /** Returns whether TLS is passed through rather than terminated. */
  public boolean passthroughOrDefault() {
    return Boolean.TRUE.equals(passthrough);
  }

  /** Returns whether plain HTTP is redirected to HTTPS; true when unset. */
  public boolean httpsRedirectOrDefault() {
    return !Boolean.FALSE.equals(httpsRedirect);
  }

  /** Returns the cipher suites, empty (the defaults) when none were given. */
  public List<TlsCipherSuite> cipherSuitesOrEmpty() {
    return cipherSuites == null ? List.of() : cipherSuites;
  }
}
