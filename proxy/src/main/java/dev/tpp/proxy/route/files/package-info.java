/**
 * The {@code files:} route: static files read in a pool, ranges, conditional requests, zero-copy
 * where the transport allows. Types are non-null unless marked {@code @Nullable}: where null is
 * part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.route.files;

import org.jspecify.annotations.NullMarked;
