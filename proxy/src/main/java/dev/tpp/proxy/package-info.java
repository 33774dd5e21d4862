/**
 * The proxy's entry point: the command line ({@code --config}, {@code --check}) that loads a config
 * and starts the server. Types are non-null unless marked {@code @Nullable}: where null is part of
 * a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy;

import org.jspecify.annotations.NullMarked;
