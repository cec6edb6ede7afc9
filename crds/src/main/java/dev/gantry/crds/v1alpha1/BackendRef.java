package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A Service port in the route's namespace, with a share of the rule's traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendRef(
    @JsonPropertyDescription("Name of a Service in the ProxyRoute's namespace.") @Required
        String name,
    @JsonPropertyDescription("The Service port number.") @Required @Min(1) @Max(65535) Integer port,
    @JsonPropertyDescription("Relative share of the rule's requests. Default 1; 0 sends none.")
        @Min(0)
        @Max(1000000)
        Integer weight,
    @JsonPropertyDescription(
            "How the proxy speaks to this backend: HTTP (HTTP/1.1), H2C (cleartext HTTP/2, e.g."
                + " gRPC), TLS (HTTP/1.1 over TLS) or H2 (HTTP/2 over TLS). Default: from the"
                + " Service port's appProtocol (kubernetes.io/h2c, h2c, http2 or grpc mean H2C;"
                + " https, kubernetes.io/wss or wss mean TLS; anything else HTTP), over TLS when"
                + " tls is set.")
        BackendProtocol protocol,
    @JsonPropertyDescription(
            "How the proxy checks the backend's certificate; setting it means TLS. Default for a"
                + " TLS backend: the name <service>.<namespace>.svc, checked against the CAs the"
                + " proxy's JVM trusts.")
        BackendTls tls) {

  /** A backend reference without TLS settings. */
  public BackendRef(String name, Integer port, Integer weight, BackendProtocol protocol) {
    this(name, port, weight, protocol, null);
  }

  /** Returns the weight, 1 when absent. */
  public int weightOrDefault() {
    return weight == null ? 1 : weight;
  }
}
