package dev.tpp.proxy.server;

import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.route.Router;
import dev.tpp.proxy.waf.WafGate;
import java.time.Instant;

/**
 * Everything one config produces that requests read: routes with their handlers and the WAF. Built off the event
 * loops, then published with one volatile write; a request reads it once when its head arrives, so it sees either
 * the old or the new config, never a mix.
 *
 * @param waf null when the WAF is disabled
 */
public record Generation(ProxyConfig config, String hash, Instant loadedAt, Router router, WafGate waf) {}
