package dev.tpp.proxy.route.upstream;

/**
 * How one proxied request ended, as the {@code outcome} label of {@code
 * tpp_upstream_requests_total}.
 */
enum UpstreamOutcome {
  /** The whole response came back from the origin. */
  OK("ok"),
  /** No connection: refused, unreachable, or not within {@code connectTimeout}. */
  CONNECT_ERROR("connect_error"),
  /** No response head, or a gap mid-body, longer than {@code responseTimeout}. */
  TIMEOUT("timeout"),
  /**
   * The origin closed or reset the connection before the response was complete, or sent a malformed
   * one.
   */
  RESET("reset"),
  /**
   * The upstream had no endpoint at all (an empty endpoints file, names that never resolved): 503.
   */
  NO_ENDPOINT("no_endpoint");

  private final String label;

  UpstreamOutcome(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
