package dev.gantry.dataplane.observe;

import java.time.Instant;
import java.util.List;

/** Formats an exchange as one JSON line; absent values are written as {@code null}. Thread-safe. */
final class AccessLogFormat {
  private final List<AccessLogField> fields;

  AccessLogFormat(List<AccessLogField> fields) {
    this.fields = List.copyOf(fields);
  }

  String format(Exchange e) {
    StringBuilder out = new StringBuilder(256).append('{');
    for (int i = 0; i < fields.size(); i++) {
      AccessLogField f = fields.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(f.key()).append("\":");
      switch (f) {
        case TIME -> string(out, Instant.ofEpochMilli(e.startMillis).toString());
        case CLIENT -> string(out, e.client);
        case METHOD -> string(out, e.method);
        case HOST -> string(out, e.host);
        case PATH -> string(out, e.path);
        case PROTOCOL -> string(out, e.protocol);
        case STATUS -> out.append(e.status);
        case ROUTE -> string(out, e.route);
        case BACKEND -> string(out, e.backend);
        case UPSTREAM -> string(out, e.upstream);
        case REQUEST_BYTES -> out.append(e.requestBytes);
        case RESPONSE_BYTES -> out.append(e.responseBytes);
        case DURATION_MS -> out.append(e.durationNanos / 1_000_000.0);
        case REQUEST_ID -> string(out, e.requestId);
        case USER_AGENT -> string(out, e.userAgent);
      }
    }
    return out.append('}').toString();
  }

  /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
  static void string(StringBuilder out, String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
