/**
 * The proxy.yaml model: immutable records, the YAML reader and the one validator the proxy and the
 * operator share. No Netty. A field the user may leave out and that has no default is
 * {@code @Nullable}: null means "not configured". Types are non-null unless marked
 * {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.config;

import org.jspecify.annotations.NullMarked;
