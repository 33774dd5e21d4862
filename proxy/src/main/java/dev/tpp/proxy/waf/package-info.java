/**
 * The WAF in the proxy: the route decorator that gives a request to the engine on the WAF pool, the
 * request body read whole (in memory or spooled), the response held for phases 3 and 4, and the
 * audit log's writer. Types are non-null unless marked {@code @Nullable}: where null is part of a
 * contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.waf;

import org.jspecify.annotations.NullMarked;
