/**
 * Meters of the server, its workers and their event loops. Types are non-null unless marked
 * {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.metrics;

import org.jspecify.annotations.NullMarked;
