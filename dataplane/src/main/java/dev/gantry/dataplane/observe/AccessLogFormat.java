package dev.gantry.dataplane.observe;

import io.netty.util.NetUtil;
import java.time.Instant;
import java.util.List;

/**
 * Formats an exchange as one JSON line; absent values are written as {@code null}. Thread-safe. On
 * the hot path: each thread reuses one builder, keys are written pre-quoted, and the time's whole
 * seconds are formatted once per second per thread.
 */
final class AccessLogFormat {
  private static final ThreadLocal<StringBuilder> BUILDER =
      ThreadLocal.withInitial(() -> new StringBuilder(512));
  private static final ThreadLocal<long[]> SECOND = ThreadLocal.withInitial(() -> new long[] {-1});
  private static final ThreadLocal<String[]> SECOND_TEXT =
      ThreadLocal.withInitial(() -> new String[1]);

  private final List<AccessLogField> fields;
  private final String[] prefixes;

  AccessLogFormat(List<AccessLogField> fields) {
    this.fields = List.copyOf(fields);
    this.prefixes = new String[this.fields.size()];
    for (int i = 0; i < prefixes.length; i++) {
      prefixes[i] = (i == 0 ? "{\"" : ",\"") + this.fields.get(i).key() + "\":";
    }
  }

  String format(Exchange e) {
    StringBuilder out = BUILDER.get();
    out.setLength(0);
    for (int i = 0; i < fields.size(); i++) {
      AccessLogField f = fields.get(i);
      out.append(prefixes[i]);
      switch (f) {
        case TIME -> time(out, e.startMillis);
        case CLIENT -> string(out, e.client);
        case METHOD -> string(out, e.method);
        case HOST -> string(out, e.host);
        case PATH -> string(out, e.path);
        case PROTOCOL -> string(out, e.protocol);
        case STATUS -> out.append(e.status);
        case ROUTE -> string(out, e.route);
        case BACKEND -> string(out, e.backend);
        case UPSTREAM ->
            string(out, e.upstream == null ? null : NetUtil.toSocketAddressString(e.upstream));
        case REQUEST_BYTES -> out.append(e.requestBytes);
        case RESPONSE_BYTES -> out.append(e.responseBytes);
        case DURATION_MS -> out.append(e.durationNanos / 1_000_000.0);
        case REQUEST_ID -> string(out, e.requestId);
        case USER_AGENT -> string(out, e.userAgent);
        case TLS -> string(out, e.tls);
        case SNI -> string(out, e.sni);
      }
    }
    return out.append('}').toString();
  }

  /** Appends {@code millis} as an ISO-8601 UTC instant with milliseconds, quoted. */
  static void time(StringBuilder out, long millis) {
    long second = Math.floorDiv(millis, 1000);
    long[] cached = SECOND.get();
    String[] text = SECOND_TEXT.get();
    if (cached[0] != second) {
      String iso = Instant.ofEpochSecond(second).toString(); // 2026-11-23T15:09:36Z
      text[0] = iso.substring(0, iso.length() - 1);
      cached[0] = second;
    }
    int ms = (int) Math.floorMod(millis, 1000);
    out.append('"').append(text[0]).append('.');
    if (ms < 100) {
      out.append('0');
    }
    if (ms < 10) {
      out.append('0');
    }
    out.append(ms).append("Z\"");
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
