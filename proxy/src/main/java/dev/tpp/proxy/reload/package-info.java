/**
 * Config and endpoint files watched, read and applied to the running server. Types are non-null
 * unless marked {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.reload;

import org.jspecify.annotations.NullMarked;
