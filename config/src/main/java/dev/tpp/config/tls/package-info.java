/**
 * Certificate and key files: PEM reading, and the checks that refuse a pair that must not be
 * served. Types are non-null unless marked {@code @Nullable}: where null is part of a contract, the
 * signature says so.
 */
@NullMarked
package dev.tpp.config.tls;

import org.jspecify.annotations.NullMarked;
