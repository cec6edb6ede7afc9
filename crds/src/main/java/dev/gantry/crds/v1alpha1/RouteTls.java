package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** How the proxy terminates TLS for a ProxyRoute's hostnames. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteTls(
    @JsonPropertyDescription(
            "A kubernetes.io/tls Secret in the route's namespace (a name, not namespace/name) whose"
                + " tls.crt (PEM chain, leaf first) and tls.key (PEM: PKCS#1, SEC1 or PKCS#8, RSA"
                + " or ECDSA) are served for the route's hostnames. The leaf certificate must cover"
                + " every hostname and be valid now; otherwise the hosts it does not cover are"
                + " served without TLS and the route's ResolvedRefs condition says why.")
        @Required
        @Size(min = 1, max = 253)
        String secretName) {}
