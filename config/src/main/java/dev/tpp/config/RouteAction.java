package dev.tpp.config;

/** What a route does with a request: exactly one handler per route. */
public sealed interface RouteAction {

  /** Serves files under {@code root}; open() and read() run in {@code pool}. */
  record Files(String root, String pool) implements RouteAction {}

  /**
   * Decodes an image under {@code root}, scales it to fit width x height, encodes JPEG, all in
   * {@code pool}.
   */
  record Thumbnail(String root, int width, int height, String pool) implements RouteAction {}

  /** Answers a fixed status and body. */
  record Return(int status, String body) implements RouteAction {}

  /** Proxies to the named upstream. */
  record Upstream(String upstream) implements RouteAction {}
}
