/**
 * Named bounded offload pools: where work that can wait or burn CPU runs, and how its result hops
 * back to the submitting event loop. Types are non-null unless marked {@code @Nullable}: where null
 * is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.pool;

import org.jspecify.annotations.NullMarked;
