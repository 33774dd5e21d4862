/**
 * The {@code upstream} route: endpoints resolved and balanced, a bounded connection pool per
 * endpoint on the client's own event loop, the request relayed to the origin and its response
 * relayed back, retries and outlier ejection. Types are non-null unless marked {@code @Nullable}:
 * where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.route.upstream;

import org.jspecify.annotations.NullMarked;
