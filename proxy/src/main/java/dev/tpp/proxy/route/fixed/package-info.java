/**
 * The {@code return:} route: a fixed status and body. Types are non-null unless marked
 * {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.route.fixed;

import org.jspecify.annotations.NullMarked;
