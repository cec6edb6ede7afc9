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
        Boolean insecureSkipVerify) {}
