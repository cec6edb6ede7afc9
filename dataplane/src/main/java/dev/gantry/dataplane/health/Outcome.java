package dev.gantry.dataplane.health;

/** How one exchange with an endpoint ended, as passive outlier detection counts it. */
public enum Outcome {
  /** A response below 500. */
  SUCCESS,
  /** A 5xx response other than 502, 503 and 504. */
  SERVER_ERROR,
  /** No response (connect failure, reset, timeout, malformed) or 502, 503, 504. */
  GATEWAY_ERROR;

  /** Returns the outcome of an exchange answered with {@code status}. */
  public static Outcome ofStatus(int status) {
    if (status < 500) {
      return SUCCESS;
    }
    return status == 502 || status == 503 || status == 504 ? GATEWAY_ERROR : SERVER_ERROR;
  }
}
