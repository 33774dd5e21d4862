package dev.tpp.proxy.route;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Picks the first route whose host and path prefix match, as configured. Immutable; shared by all
 * loops.
 */
public final class Router {
  private final List<Route> routes;
  private final List<AutoCloseable> resources;

  public Router(List<Route> routes) {
    this(routes, List.of());
  }

  /**
   * {@code resources} are shared by the handlers (upstream connection pools) and closed with them.
   */
  public Router(List<Route> routes, List<? extends AutoCloseable> resources) {
    this.routes = List.copyOf(routes);
    this.resources = List.copyOf(resources);
  }

  /**
   * The route for a request, or null when none matches (404). {@code host} has no port; may be
   * null.
   */
  public @Nullable Route match(@Nullable String host, String path) {
    for (Route r : routes) {
      if (r.config().matches(host, path)) {
        return r;
      }
    }
    return null;
  }

  public List<Route> routes() {
    return routes;
  }

  /** Releases every handler's resources (the config that built them was replaced). */
  public void close() {
    routes.forEach(r -> r.handler().close());
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LoggerFactory.getLogger("tpp.route")
            .warn("event=close_failed resource={} error=\"{}\"", resource, e.toString());
      }
    }
  }
}
