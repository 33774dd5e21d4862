package dev.tpp.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code routes[i]} entry: {@code path}, optional {@code name}, {@code host} and {@code
 * waf}, and exactly one action key ({@code files}, {@code thumbnail}, {@code return} or {@code
 * upstream}). A route without an action keeps a {@code null} one, which {@link ConfigValidator}
 * reports.
 */
@SuppressWarnings(
    "NullAway") // a required field left out reads as null; the validator reports it before use
final class RouteReader {
  static final List<String> ACTIONS = List.of("files", "thumbnail", "return", "upstream");

  private final ConfigReader paths;

  RouteReader(ConfigReader paths) {
    this.paths = paths;
  }

  RouteConfig route(YamlNode node) {
    return node.mapping(
        null,
        n -> {
          String path = n.get("path").string(null);
          return new RouteConfig(
              n.get("name").string(path),
              path,
              n.get("host").string(ConfigDefaults.ROUTE_HOST),
              n.get("waf").bool(ConfigDefaults.ROUTE_WAF),
              action(n));
        });
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
      String expected = " (expected: exactly one of " + String.join(", ", ACTIONS) + ")";
      route.error("has " + String.join(" and ", present) + expected);
    }
    return action;
  }

  private RouteAction read(String key, YamlNode node) {
    switch (key) {
      case "upstream":
        String upstream = node.string(null);
        return upstream == null ? null : new RouteAction.Upstream(upstream);
      case "files":
        return node.mapping(
            null,
            n ->
                new RouteAction.Files(paths.path(n.get("root"), null), n.get("pool").string(null)));
      case "thumbnail":
        return node.mapping(
            null,
            n ->
                new RouteAction.Thumbnail(
                    paths.path(n.get("root"), null),
                    required(n.get("width")),
                    required(n.get("height")),
                    n.get("pool").string(null)));
      default:
        return node.mapping(
            null, n -> new RouteAction.Return(required(n.get("status")), n.get("body").string("")));
    }
  }

  /** An integer with no default. */
  private static int required(YamlNode node) {
    if (!node.isSet()) {
      node.error("is required");
    }
    return node.integer(0);
  }
}
