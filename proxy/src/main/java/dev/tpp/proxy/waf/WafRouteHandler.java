package dev.tpp.proxy.waf;

import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.route.RouteHandler;

/**
 * A route with {@code waf: true} under an enabled WAF: the request goes through the {@link WafGate}
 * first, and reaches the route's own handler only when the gate lets it pass (with its body then
 * read from memory or the spool file). Applied when a config generation is built, so the dispatcher
 * calls every route the same way and knows nothing of the WAF. Called on the exchange's event loop;
 * shared by all loops of one generation, like the handler it wraps.
 */
public final class WafRouteHandler implements RouteHandler {
  private final WafGate gate;
  private final RouteHandler route;

  public WafRouteHandler(WafGate gate, RouteHandler route) {
    this.gate = gate;
    this.route = route;
  }

  @Override
  public void handle(HttpExchange exchange) {
    gate.inspect(exchange, () -> route.handle(exchange));
  }

  @Override
  public void close() {
    route.close();
  }

  /** The handler behind the gate (tests and diagnostics). */
  public RouteHandler route() {
    return route;
  }
}
