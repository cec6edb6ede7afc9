package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Which client addresses a rule serves; the others get 403 from the proxy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceRanges(
    @JsonPropertyDescription(
            "Only these clients (IPv4/IPv6 addresses or CIDR ranges, e.g. 10.0.0.0/8). Absent or"
                + " empty: every client not denied. The client is the peer, or, from a proxy the"
                + " dataplane trusts (--trusted-proxies), the nearest X-Forwarded-For hop it did"
                + " not add.")
        @Size(max = 256)
        List<@Size(max = 43) @Pattern("^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$") String> allow,
    @JsonPropertyDescription("Clients refused even when allowed.") @Size(max = 256)
        List<@Size(max = 43) @Pattern("^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$") String> deny) {

  public SourceRanges {
    allow = allow == null ? null : List.copyOf(allow);
    deny = deny == null ? null : List.copyOf(deny);
  }

  public List<String> allowOrEmpty() {
    return allow == null ? List.of() : allow;
  }

  public List<String> denyOrEmpty() {
    return deny == null ? List.of() : deny;
  }
}
