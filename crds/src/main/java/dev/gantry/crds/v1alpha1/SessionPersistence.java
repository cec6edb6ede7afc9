package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Session persistence as Gateway API's HTTPRoute names it: the proxy pins each client to one
 * endpoint with a cookie it issues itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.cookieConfig) || !has(self.cookieConfig.lifetimeType) ||"
            + " self.cookieConfig.lifetimeType != 'Permanent' || has(self.absoluteTimeout)",
    message = "a Permanent cookie needs absoluteTimeout (its Max-Age)")
public record SessionPersistence(
    @JsonPropertyDescription("The cookie's name. Default gantry-session.")
        @Size(min = 1, max = 128)
        @Pattern("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
        String sessionName,
    @JsonPropertyDescription("Cookie (the default and the only type supported).")
        SessionPersistenceType type,
    @JsonPropertyDescription(
            "How long a session lasts from when the cookie is issued; then the client is"
                + " balanced again. Absent: no limit.")
        @Pattern(Timeouts.DURATION)
        String absoluteTimeout,
    @JsonPropertyDescription("The cookie's lifetime.") CookieConfig cookieConfig) {

  /** Default {@link #sessionName()}. */
  public static final String DEFAULT_SESSION_NAME = "gantry-session";

  /** The cookie's attributes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CookieConfig(
      @JsonPropertyDescription(
              "Session (default): the browser drops the cookie when it closes. Permanent: the"
                  + " cookie gets Max-Age absoluteTimeout.")
          LifetimeType lifetimeType) {}

  /** How long a browser keeps the cookie. */
  public enum LifetimeType {
    Permanent,
    Session
  }
}
