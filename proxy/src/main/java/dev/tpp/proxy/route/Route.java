package dev.tpp.proxy.route;

import dev.tpp.config.RouteConfig;

/** A configured route and the handler built for it. */
public record Route(RouteConfig config, RouteHandler handler) {}
