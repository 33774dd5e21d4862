package dev.tpp.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code routes[i]} entry: {@code path}, optional {@code name}, {@code host} and {@code waf}, and exactly
 * one action key ({@code files}, {@code thumbnail}, {@code return} or {@code upstream}). A route without an action
 * keeps a {@code null} one, which {@link ConfigValidator} reports.
 */
final class RouteReader {
  static final List<String> ACTIONS = List.of("files", "thumbnail", "return", "upstream");

  private final ConfigReader paths;

  RouteReader(ConfigReader paths) {
    this.paths = paths;
  }

  RouteConfig route(YamlNode node) {
    if (!node.isMapping()) {
      return null;
    }
    String path = node.get("path").string(null);
    String name = node.get("name").string(path);
    String host = node.get("host").string(ConfigDefaults.ROUTE_HOST);
    boolean waf = node.get("waf").bool(ConfigDefaults.ROUTE_WAF);
    RouteAction action = action(node);
    node.rejectUnknownKeys();
    return new RouteConfig(name, path, host, waf, action);
  }

  private RouteAction action(YamlNode route) {
    List<String> present = new ArrayList<>();
    RouteAction action = null;
    for (String key : ACTIONS) {
      YamlNode node = route.get(key);
      if (node.isSet()) {
        present.add(key);
        RouteAction read = read(key, node);
        action = action == null ? read : action;
      }
    }
    if (present.size() > 1) {
      route.error("has " + String.join(" and ", present) + " (expected: exactly one of " + String.join(", ", ACTIONS) + ")");
    }
    return action;
  }

  private RouteAction read(String key, YamlNode node) {
    if (key.equals("upstream")) {
      String upstream = node.string(null);
      return upstream == null ? null : new RouteAction.Upstream(upstream);
    }
    if (!node.isMapping()) {
      return null;
    }
    RouteAction action;
    switch (key) {
      case "files":
        action = new RouteAction.Files(paths.path(node.get("root"), null), node.get("pool").string(null));
        break;
      case "thumbnail":
        action =
            new RouteAction.Thumbnail(
                paths.path(node.get("root"), null),
                required(node.get("width")),
                required(node.get("height")),
                node.get("pool").string(null));
        break;
      default:
        action = new RouteAction.Return(required(node.get("status")), node.get("body").string(""));
        break;
    }
    node.rejectUnknownKeys();
    return action;
  }

  /** An integer with no default. */
  private static int required(YamlNode node) {
    if (!node.isSet()) {
      node.error("is required");
    }
    return node.integer(0);
  }
}
