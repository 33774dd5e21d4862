package dev.tpp.proxy.route;

import dev.tpp.proxy.http.HttpExchange;

/**
 * Serves requests for one route. Built once per config off the event loops, then shared by all of
 * them: {@link #handle} is called on the exchange's event loop, must not block, and sends anything
 * that can wait or burn CPU to its {@link dev.tpp.proxy.pool.OffloadPool}, writing the result only
 * after it has hopped back to the loop.
 */
public interface RouteHandler {

  /** Takes over the exchange until its response is complete (or aborted). */
  void handle(HttpExchange exchange);

  /**
   * The config that built this handler was replaced and no request uses it any more; release what
   * it holds.
   */
  default void close() {}
}
