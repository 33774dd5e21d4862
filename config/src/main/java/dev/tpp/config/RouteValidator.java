package dev.tpp.config;

/** Checks {@code routes[i]}: path, host, the action's fields and the pool or upstream it names. */
final class RouteValidator {

  private RouteValidator() {}

  static void routes(ProxyConfig config, Checks checks) {
    for (int i = 0; i < config.routes().size(); i++) {
      RouteConfig route = config.routes().get(i);
      String path = "routes[" + i + "]";
      if (checks.required(path + ".path", route.path()) && !route.path().startsWith("/")) {
        checks.error(
            path + ".path", Durations.quote(route.path()) + " (expected: starts with \"/\")");
      }
      if (route.name() != null
          || route.path() != null) { // a missing path is the one error, not its name too
        checks.required(path + ".name", route.name());
      }
      checks.required(path + ".host", route.host());
      action(config, path, route.action(), checks);
    }
  }

  private static void action(ProxyConfig config, String path, RouteAction action, Checks checks) {
    if (action == null) {
      checks.error(
          path, "has no action (expected: one of " + String.join(", ", RouteReader.ACTIONS) + ")");
    } else if (action instanceof RouteAction.Files) {
      RouteAction.Files files = (RouteAction.Files) action;
      checks.required(path + ".files.root", files.root());
      pool(config, path + ".files.pool", files.pool(), checks);
    } else if (action instanceof RouteAction.Thumbnail) {
      RouteAction.Thumbnail thumb = (RouteAction.Thumbnail) action;
      checks.required(path + ".thumbnail.root", thumb.root());
      checks.range(path + ".thumbnail.width", thumb.width(), 1, Limits.MAX_THUMBNAIL_SIDE);
      checks.range(path + ".thumbnail.height", thumb.height(), 1, Limits.MAX_THUMBNAIL_SIDE);
      pool(config, path + ".thumbnail.pool", thumb.pool(), checks);
    } else if (action instanceof RouteAction.Return) {
      checks.range(path + ".return.status", ((RouteAction.Return) action).status(), 100, 599);
      if (((RouteAction.Return) action).body() == null) {
        checks.error(path + ".return.body", "is required (expected: a string, \"\" for none)");
      }
    } else {
      String upstream = ((RouteAction.Upstream) action).upstream();
      if (checks.required(path + ".upstream", upstream) && config.upstream(upstream) == null) {
        checks.error(path + ".upstream", "unknown upstream " + Durations.quote(upstream));
      }
    }
  }

  /** A reference to a pool, which must exist. */
  static void pool(ProxyConfig config, String path, String pool, Checks checks) {
    if (checks.required(path, pool) && config.pool(pool) == null) {
      checks.error(path, "unknown pool " + Durations.quote(pool));
    }
  }
}
