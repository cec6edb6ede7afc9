package dev.gantry.dataplane.observe;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Whether the dataplane writes an access log, and which fields. Lines go to the {@code
 * gantry.access} logger, one JSON object per line; the shipped logback configuration sends them to
 * stdout.
 *
 * @param enabled on by default
 * @param fields what each line holds, in this order (default: {@link AccessLogField#ALL})
 */
public record AccessLogConfig(boolean enabled, List<AccessLogField> fields) {
  public static final AccessLogConfig DEFAULT = new AccessLogConfig(true, AccessLogField.ALL);
  public static final AccessLogConfig OFF = new AccessLogConfig(false, List.of());

  public AccessLogConfig {
    fields = List.copyOf(requireNonNull(fields, "fields"));
    if (enabled && fields.isEmpty()) {
      throw new IllegalArgumentException("fields: [] (expected: at least one when enabled)");
    }
  }
}
