package dev.gantry.dataplane.pipeline;

/**
 * The circuit-breaker limit that turned a request away; its tag is the value of the {@code
 * X-Gantry-Overloaded} response header and of the {@code limit} metric tag.
 */
enum Overload {
  MAX_CONNECTIONS("max-connections"),
  MAX_PENDING_REQUESTS("max-pending-requests"),
  MAX_REQUESTS("max-requests"),
  MAX_RETRIES("max-retries");

  private final String tag;

  Overload(String tag) {
    this.tag = tag;
  }

  String tag() {
    return tag;
  }
}
