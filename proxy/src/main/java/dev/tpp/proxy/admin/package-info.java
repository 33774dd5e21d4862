/**
 * The admin endpoint: health, readiness, the config in force, metrics. Types are non-null unless
 * marked {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.admin;

import org.jspecify.annotations.NullMarked;
