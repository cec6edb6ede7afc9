package dev.gantry.dataplane.observe;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A field of an access-log line; the JSON key is the lower-case name. */
public enum AccessLogField {
  TIME,
  CLIENT,
  METHOD,
  HOST,
  PATH,
  PROTOCOL,
  STATUS,
  ROUTE,
  BACKEND,
  UPSTREAM,
  REQUEST_BYTES,
  RESPONSE_BYTES,
  DURATION_MS,
  REQUEST_ID,
  USER_AGENT,
  /** The TLS version of the client's connection ({@code TLSv1.3}); null in cleartext. */
  TLS,
  /** The server name the TLS client asked for; null in cleartext or without SNI. */
  SNI;

  /** Every field, in the order lines print them. */
  public static final List<AccessLogField> ALL = List.of(values());

  private final String key = name().toLowerCase(Locale.ROOT);

  public String key() {
    return key;
  }

  /**
   * Parses a comma-separated list of keys such as {@code time,status,route}.
   *
   * @throws IllegalArgumentException naming the unknown key and the known ones
   */
  public static List<AccessLogField> parse(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(
            key -> {
              try {
                return valueOf(key.toUpperCase(Locale.ROOT));
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "access-log field: "
                        + key
                        + " (expected one of: "
                        + String.join(",", ALL.stream().map(AccessLogField::key).toList())
                        + ")");
              }
            })
        .distinct()
        .toList();
  }
}
