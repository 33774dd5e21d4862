package dev.tpp.config;

import org.jspecify.annotations.Nullable;

/**
 * One route: the first whose {@code host} ("*" or exact, case-insensitive) and {@code path} prefix
 * match a request handles it. {@code name} labels metrics (defaults to the path). {@code waf:
 * false} skips WAF inspection.
 */
public record RouteConfig(String name, String path, String host, boolean waf, RouteAction action) {

  /**
   * True when this route serves a request for {@code requestHost} (port stripped) and {@code
   * requestPath}.
   */
  public boolean matches(@Nullable String requestHost, String requestPath) {
    if (!requestPath.startsWith(path)) {
      return false;
    }
    return host.equals("*") || (requestHost != null && host.equalsIgnoreCase(requestHost));
  }
}
